/**
 * Limits of what a server may send, shared by every connection the client opens.
 */

/**
 * Most bytes of a response's header section (names and values), as curl allows (300 KiB): undici's own
 * default is Node's `--max-http-header-size`, 16 KiB, which real APIs pass (a large `Content-Security-Policy`,
 * many `Set-Cookie`, a JWT echoed back). The whole section is held in memory, so it stays bounded.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.4
 */
export const MAX_RESPONSE_HEADER_BYTES = 300 * 1024;
