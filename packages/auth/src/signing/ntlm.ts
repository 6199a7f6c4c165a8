/**
 * NTLM (NTLMv2) over HTTP, client side (MS-NLMP): NEGOTIATE, CHALLENGE and AUTHENTICATE messages.
 *
 * The handshake is bound to ONE TCP connection: the engine must send `ntlmNegotiate()` and then
 * `ntlmAuthenticate()` (answering the 401's `WWW-Authenticate: NTLM <challenge>`) on the same
 * keep-alive connection, e.g. through an undici `Client` per origin with `pipelining: 1`, and send
 * the request body with the third message (not with the first).
 *
 * Hand-written: no maintained NTLM client fits a connection-bound handshake over the engine's own (dedicated)
 * connection. Tested against the MS-NLMP §4.2.4 vectors (test/signing/ntlm.test.ts); MD4 is in md4.ts for the
 * reason given there.
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/
 */
import { createHmac, randomBytes } from 'node:crypto';
import { ErrorCode, SortieError } from '@sortie/core';
import { md4 } from './md4.js';
import { parseChallenges } from './parse-challenges.js';
import type { NtlmProfile } from './profiles.js';

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');

/** NEGOTIATE flags (MS-NLMP §2.2.2.5). */
export const NtlmFlag = {
  UNICODE: 0x00000001,
  OEM: 0x00000002,
  REQUEST_TARGET: 0x00000004,
  NTLM: 0x00000200,
  ALWAYS_SIGN: 0x00008000,
  EXTENDED_SESSIONSECURITY: 0x00080000,
  TARGET_INFO: 0x00800000,
  NEGOTIATE_128: 0x20000000,
  NEGOTIATE_56: 0x80000000,
} as const;

const NEGOTIATE_FLAGS =
  NtlmFlag.UNICODE |
  NtlmFlag.OEM |
  NtlmFlag.REQUEST_TARGET |
  NtlmFlag.NTLM |
  NtlmFlag.ALWAYS_SIGN |
  NtlmFlag.EXTENDED_SESSIONSECURITY |
  NtlmFlag.NEGOTIATE_128 |
  NtlmFlag.NEGOTIATE_56;

/** AV_PAIR ids used here (MS-NLMP §2.2.2.1). */
const AV_EOL = 0;
const AV_NB_DOMAIN = 2;
const AV_TIMESTAMP = 7;

/** A parsed CHALLENGE_MESSAGE. */
export interface NtlmChallenge {
  flags: number;
  serverChallenge: Buffer;
  targetName: string;
  /** The raw TargetInfo AV pairs, echoed into the NTLMv2 response. */
  targetInfo: Buffer;
  /** NetBIOS domain name from TargetInfo, when present. */
  domain?: string;
  /** MsvAvTimestamp (FILETIME, 8 bytes), when present. */
  timestamp?: Buffer;
}

/** Fixed values for vectors. */
export interface NtlmAuthenticateOptions {
  /** 8 bytes; default random. */
  clientChallenge?: Buffer;
  /** FILETIME, 8 bytes; default the server's MsvAvTimestamp, else now. */
  timestamp?: Buffer;
}

/**
 * NEGOTIATE_MESSAGE (type 1) with no domain or workstation.
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/b34032e5-3aae-4bc6-84c3-c6d80eadf7f2
 */
export function createNtlmNegotiateMessage(): Buffer {
  const message = Buffer.alloc(32);
  SIGNATURE.copy(message, 0);
  message.writeUInt32LE(1, 8);
  message.writeUInt32LE(NEGOTIATE_FLAGS >>> 0, 12);
  writeSecurityBuffer(message, 16, 0, 32); // DomainNameFields
  writeSecurityBuffer(message, 24, 0, 32); // WorkstationFields
  return message;
}

/** `NTLM <base64 type 1>` for the first request's Authorization header. */
export function ntlmNegotiate(): string {
  return `NTLM ${createNtlmNegotiateMessage().toString('base64')}`;
}

/**
 * Parses a CHALLENGE_MESSAGE (type 2).
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/801a4681-8809-4be9-ab0d-61dcfe762786
 */
export function parseNtlmChallengeMessage(message: Buffer): NtlmChallenge {
  if (message.length < 32 || !message.subarray(0, 8).equals(SIGNATURE) || message.readUInt32LE(8) !== 2) {
    throw new SortieError(ErrorCode.AUTH, 'NTLM challenge', 'the server sent something that is not an NTLM CHALLENGE message');
  }
  const flags = message.readUInt32LE(20);
  const unicode = (flags & NtlmFlag.UNICODE) !== 0;
  const targetName = readSecurityBuffer(message, 12).toString(unicode ? 'utf16le' : 'latin1');
  const targetInfo = message.length >= 48 ? readSecurityBuffer(message, 40) : Buffer.alloc(0);
  const challenge: NtlmChallenge = { flags, serverChallenge: Buffer.from(message.subarray(24, 32)), targetName, targetInfo };
  for (let at = 0; at + 4 <= targetInfo.length; ) {
    const id = targetInfo.readUInt16LE(at);
    const length = targetInfo.readUInt16LE(at + 2);
    const value = targetInfo.subarray(at + 4, at + 4 + length);
    if (id === AV_EOL) break;
    if (id === AV_NB_DOMAIN) challenge.domain = value.toString('utf16le');
    if (id === AV_TIMESTAMP) challenge.timestamp = Buffer.from(value);
    at += 4 + length;
  }
  return challenge;
}

/** NTOWFv2 = HMAC_MD5(MD4(UNICODE(password)), UNICODE(UPPER(user) + domain)) (MS-NLMP §3.3.2). */
export function computeNtowfV2(password: string, username: string, domain: string): Buffer {
  return hmacMd5(md4(Buffer.from(password, 'utf16le')), Buffer.from(username.toUpperCase() + domain, 'utf16le'));
}

/** The NTLMv2 responses and session key of one AUTHENTICATE message. */
export interface NtlmV2Response {
  ntProofStr: Buffer;
  ntChallengeResponse: Buffer;
  lmChallengeResponse: Buffer;
  sessionBaseKey: Buffer;
}

/**
 * Computes the NTLMv2 responses (MS-NLMP §3.3.2): temp = 0x0101, reserved, timestamp, client
 * challenge, reserved, AV pairs, reserved; NTProofStr = HMAC_MD5(NTOWFv2, server challenge + temp).
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/5e550938-91d4-459f-b67d-75d70009e3f3
 */
export function computeNtlmV2Response(
  challenge: NtlmChallenge,
  credentials: { username: string; password: string; domain: string },
  clientChallenge: Buffer,
  timestamp: Buffer,
): NtlmV2Response {
  const key = computeNtowfV2(credentials.password, credentials.username, credentials.domain);
  const temp = Buffer.concat([
    Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]),
    timestamp,
    clientChallenge,
    Buffer.alloc(4),
    challenge.targetInfo,
    Buffer.alloc(4),
  ]);
  const ntProofStr = hmacMd5(key, Buffer.concat([challenge.serverChallenge, temp]));
  // With MsvAvTimestamp present the LM response is Z(24) (§3.1.5.1.2); otherwise LMv2.
  const lmChallengeResponse =
    challenge.timestamp !== undefined
      ? Buffer.alloc(24)
      : Buffer.concat([hmacMd5(key, Buffer.concat([challenge.serverChallenge, clientChallenge])), clientChallenge]);
  return {
    ntProofStr,
    ntChallengeResponse: Buffer.concat([ntProofStr, temp]),
    lmChallengeResponse,
    sessionBaseKey: hmacMd5(key, ntProofStr),
  };
}

/**
 * AUTHENTICATE_MESSAGE (type 3) answering `challenge` (no MIC, no key exchange).
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/033d32cc-88f9-4483-9bf2-b273055038ce
 */
export function createNtlmAuthenticateMessage(
  challenge: NtlmChallenge,
  profile: NtlmProfile,
  options: NtlmAuthenticateOptions = {},
): Buffer {
  const domain = profile.domain ?? challenge.domain ?? '';
  const clientChallenge = options.clientChallenge ?? randomBytes(8);
  const timestamp = options.timestamp ?? challenge.timestamp ?? createFileTime(Date.now());
  const response = computeNtlmV2Response(
    challenge,
    { username: profile.username, password: profile.password, domain },
    clientChallenge,
    timestamp,
  );
  const unicode = (challenge.flags & NtlmFlag.UNICODE) !== 0;
  const text = (value: string) => Buffer.from(value, unicode ? 'utf16le' : 'latin1');
  const flags = (NEGOTIATE_FLAGS & challenge.flags) | NtlmFlag.NTLM | (unicode ? NtlmFlag.UNICODE : NtlmFlag.OEM);
  const payloads = [
    response.lmChallengeResponse,
    response.ntChallengeResponse,
    text(domain),
    text(profile.username),
    text(profile.workstation ?? ''),
    Buffer.alloc(0),
  ];
  const header = Buffer.alloc(64);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(3, 8);
  let offset = 64;
  payloads.forEach((payload, i) => {
    writeSecurityBuffer(header, 12 + i * 8, payload.length, offset);
    offset += payload.length;
  });
  header.writeUInt32LE(flags >>> 0, 60);
  return Buffer.concat([header, ...payloads]);
}

/**
 * `NTLM <base64 type 3>` answering the `WWW-Authenticate` value(s) of the 401 to `ntlmNegotiate()`.
 * Must be sent on the same connection as the negotiate request.
 */
export function ntlmAuthenticate(challengeHeader: string | string[], profile: NtlmProfile, options: NtlmAuthenticateOptions = {}): string {
  const token = parseChallenges(challengeHeader).find((c) => c.scheme.toLowerCase() === 'ntlm' && c.token68 !== undefined)?.token68;
  if (token === undefined) {
    throw new SortieError(ErrorCode.AUTH, 'NTLM challenge', 'the 401 carries no "WWW-Authenticate: NTLM <challenge>"', {
      hint: 'The server must answer the negotiate message on the same keep-alive connection.',
    });
  }
  const challenge = parseNtlmChallengeMessage(Buffer.from(token, 'base64'));
  return `NTLM ${createNtlmAuthenticateMessage(challenge, profile, options).toString('base64')}`;
}

/** A Windows FILETIME (100 ns ticks since 1601-01-01), 8 bytes little endian. */
export function createFileTime(ms: number): Buffer {
  const ticks = (BigInt(ms) + 11644473600000n) * 10000n;
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(ticks);
  return out;
}

function hmacMd5(key: Buffer, data: Buffer): Buffer {
  return createHmac('md5', key).update(data).digest();
}

function writeSecurityBuffer(target: Buffer, at: number, length: number, offset: number): void {
  target.writeUInt16LE(length, at);
  target.writeUInt16LE(length, at + 2);
  target.writeUInt32LE(offset, at + 4);
}

function readSecurityBuffer(message: Buffer, at: number): Buffer {
  const length = message.readUInt16LE(at);
  const offset = message.readUInt32LE(at + 4);
  if (offset + length > message.length) throw new SortieError(ErrorCode.AUTH, 'NTLM challenge', 'the NTLM CHALLENGE message is truncated');
  return message.subarray(offset, offset + length);
}
