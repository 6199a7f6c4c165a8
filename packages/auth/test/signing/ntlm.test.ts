import { describe, expect, it } from 'vitest';
import {
  computeNtlmV2Response,
  computeNtowfV2,
  createNtlmAuthenticateMessage,
  createNtlmNegotiateMessage,
  ntlmAuthenticate,
  ntlmNegotiate,
  parseNtlmChallengeMessage,
} from '../../src/signing/index.js';
import type { NtlmProfile } from '../../src/signing/profiles.js';

/** MS-NLMP §4.2.4.3: the NTLMv2 CHALLENGE_MESSAGE (target "Server", domain "Domain", challenge 0123456789abcdef). */
const CHALLENGE_4_2_4 = Buffer.from(
  '4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef00000000000000002400240044000000' +
    '060070170000000f53006500720076006500720002000c0044006f006d00610069006e0001000c0053006500720076006500720000000000',
  'hex',
);
const PROFILE: NtlmProfile = { type: 'ntlm', username: 'User', password: 'Password', domain: 'Domain' };
const CLIENT_CHALLENGE = Buffer.from('aaaaaaaaaaaaaaaa', 'hex');
const ZERO_TIME = Buffer.alloc(8);

describe('NTLMv2 (MS-NLMP §4.2.4)', () => {
  it('parses the CHALLENGE message', () => {
    const challenge = parseNtlmChallengeMessage(CHALLENGE_4_2_4);
    expect(challenge.serverChallenge.toString('hex')).toBe('0123456789abcdef');
    expect(challenge.targetName).toBe('Server');
    expect(challenge.domain).toBe('Domain');
    expect(challenge.timestamp).toBeUndefined();
  });

  it('computes NTOWFv2 (§4.2.4.1.1) and the NTProofStr (§4.2.4.2.2)', () => {
    expect(computeNtowfV2('Password', 'User', 'Domain').toString('hex')).toBe('0c868a403bfd7a93a3001ef22ef02e3f');
    const challenge = parseNtlmChallengeMessage(CHALLENGE_4_2_4);
    const response = computeNtlmV2Response(
      challenge,
      { username: 'User', password: 'Password', domain: 'Domain' },
      CLIENT_CHALLENGE,
      ZERO_TIME,
    );
    expect(response.ntProofStr.toString('hex')).toBe('68cd0ab851e51c96aabc927bebef6a1c');
    expect(response.lmChallengeResponse.toString('hex')).toBe('86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
    expect(response.sessionBaseKey.toString('hex')).toBe('8de40ccadbc14a82f15cb0ad0de95ca3');
  });

  it('lays out the AUTHENTICATE message with the responses, domain, user and workstation in UTF-16', () => {
    const challenge = parseNtlmChallengeMessage(CHALLENGE_4_2_4);
    const message = createNtlmAuthenticateMessage(
      challenge,
      { ...PROFILE, workstation: 'COMPUTER' },
      { clientChallenge: CLIENT_CHALLENGE, timestamp: ZERO_TIME },
    );
    const field = (at: number) => message.subarray(message.readUInt32LE(at + 4), message.readUInt32LE(at + 4) + message.readUInt16LE(at));
    expect(message.subarray(0, 12).toString('hex')).toBe('4e544c4d5353500003000000');
    expect(field(20).subarray(0, 16).toString('hex')).toBe('68cd0ab851e51c96aabc927bebef6a1c');
    expect(field(28).toString('utf16le')).toBe('Domain');
    expect(field(36).toString('utf16le')).toBe('User');
    expect(field(44).toString('utf16le')).toBe('COMPUTER');
  });
});

describe('NTLM over HTTP headers', () => {
  it('sends a type 1 message and answers the type 2 challenge from WWW-Authenticate', () => {
    expect(ntlmNegotiate()).toBe(`NTLM ${createNtlmNegotiateMessage().toString('base64')}`);
    const header = ntlmAuthenticate(['Negotiate', `NTLM ${CHALLENGE_4_2_4.toString('base64')}`], PROFILE, {
      clientChallenge: CLIENT_CHALLENGE,
      timestamp: ZERO_TIME,
    });
    const message = Buffer.from(header.slice(5), 'base64');
    expect(message.readUInt32LE(8)).toBe(3);
    expect(message.includes(Buffer.from('68cd0ab851e51c96aabc927bebef6a1c', 'hex'))).toBe(true);
  });

  it('fails with an AUTH error when the 401 carries no NTLM challenge or a malformed one', () => {
    expect(() => ntlmAuthenticate('Basic realm="x"', PROFILE)).toThrow(expect.objectContaining({ code: 'SORTIE_AUTH' }));
    expect(() => ntlmAuthenticate('NTLM AAAA', PROFILE)).toThrow(expect.objectContaining({ code: 'SORTIE_AUTH' }));
  });
});
