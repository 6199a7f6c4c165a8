import { Redactor } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { secretsOf } from '../../src/signing/index.js';
import type { SigningProfile } from '../../src/signing/profiles.js';

const PROFILES: Array<[SigningProfile, string[]]> = [
  [{ type: 'digest', username: 'user', password: 'digest-pass' }, ['digest-pass']],
  [{ type: 'ntlm', username: 'user', password: 'ntlm-pass' }, ['ntlm-pass']],
  [
    {
      type: 'oauth1',
      consumerKey: 'ck',
      consumerSecret: 'consumer-secret',
      token: 'access-token',
      tokenSecret: 'token-secret',
      privateKey: 'PEM-KEY',
    },
    ['consumer-secret', 'token-secret', 'PEM-KEY', 'access-token'],
  ],
  [{ type: 'hawk', id: 'id', key: 'hawk-key' }, ['hawk-key']],
  [
    { type: 'awsv4', accessKeyId: 'AKID', secretAccessKey: 'aws-secret', sessionToken: 'aws-session', region: 'r', service: 's' },
    ['aws-secret', 'aws-session'],
  ],
  [{ type: 'akamaiEdgegrid', clientToken: 'ct', clientSecret: 'eg-secret', accessToken: 'eg-access' }, ['eg-secret', 'eg-access']],
  [{ type: 'jwt', algorithm: 'HS256', secret: 'jwt-secret' }, ['jwt-secret']],
];

describe('secretsOf', () => {
  for (const [profile, secrets] of PROFILES) {
    it(`lists every secret of a ${profile.type} profile and nothing else`, () => {
      expect(secretsOf(profile).sort()).toEqual([...secrets].sort());
    });
  }

  it('lets the redactor hide every listed secret', () => {
    const redactor = new Redactor();
    const profile = PROFILES[4]![0];
    for (const secret of secretsOf(profile)) redactor.add(secret);
    expect(redactor.redact('secret=aws-secret token=aws-session id=AKID')).toBe('secret=[REDACTED] token=[REDACTED] id=AKID');
  });

  it('leaves out empty and missing values', () => {
    expect(secretsOf({ type: 'oauth1', consumerKey: 'ck', consumerSecret: '' })).toEqual([]);
  });
});
