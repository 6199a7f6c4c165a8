import { describe, expect, it } from 'vitest';
import { calculateCodeChallenge, generateCodeVerifier } from '../src/index.js';

// RFC 7636 Appendix B.
const RFC7636_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC7636_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('PKCE (RFC 7636)', () => {
  it('derives the S256 challenge of the Appendix B example', () => {
    expect(calculateCodeChallenge(RFC7636_VERIFIER, 'S256')).toBe(RFC7636_CHALLENGE);
  });

  it('uses the verifier itself as the plain challenge', () => {
    expect(calculateCodeChallenge(RFC7636_VERIFIER, 'plain')).toBe(RFC7636_VERIFIER);
  });

  it('generates 43-character verifiers from the unreserved alphabet, different each time', () => {
    const verifiers = Array.from({ length: 20 }, generateCodeVerifier);
    for (const verifier of verifiers) expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43}$/);
    expect(new Set(verifiers).size).toBe(20);
  });
});
