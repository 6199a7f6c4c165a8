/**
 * Signers of the auth schemes that sign the final request. Each is a pure function of
 * the final PreparedRequest and a rendered profile (clock and nonce injectable) returning the
 * request with credentials added; digest and NTLM also need the 401 they answer.
 */
export * from './akamai-edgegrid.js';
export * from './awsv4.js';
export * from './digest.js';
export * from './hawk.js';
export * from './jwt.js';
export * from './md4.js';
export * from './negotiate.js';
export * from './ntlm.js';
export * from './oauth1.js';
export * from './parse-challenges.js';
export type * from './profiles.js';
export * from './secrets-of.js';
