/**
 * Proof Key for Code Exchange (PKCE).
 * @see https://www.rfc-editor.org/rfc/rfc7636
 */
import { createHash, randomBytes } from 'node:crypto';

export type PkceMethod = 'S256' | 'plain';

/**
 * Generates a code verifier: 32 random octets, base64url-encoded (43 characters).
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export function generateCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Derives the code challenge: `BASE64URL(SHA256(ASCII(code_verifier)))` for S256, the verifier itself for plain.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
export function calculateCodeChallenge(verifier: string, method: PkceMethod): string {
  if (method === 'plain') return verifier;
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * Generates a random `state` value for an authorization request.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export function generateState(): string {
  return randomBytes(16).toString('base64url');
}
