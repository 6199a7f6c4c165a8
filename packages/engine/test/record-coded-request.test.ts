/**
 * A request body sent with `Content-Encoding: gzip` and `Content-Type: application/json` was shown in the
 * report as text: the gzip bytes as mojibake (U+FFFD for each byte past ASCII), neither what was sent nor
 * readable. The report keeps such a body's bytes, as base64, and a secret inside stays out of it.
 */
import { gzipSync } from 'node:zlib';
import { type PreparedRequest, Redactor } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { recordRequest } from '../src/records.js';

const secret = 'tok-SECRET-7731';

function request(headers: Array<[string, string]>, body: Uint8Array): PreparedRequest {
  return { method: 'POST', url: 'http://127.0.0.1/x', headers, body, timeout: 1000, followRedirects: true, maxRedirects: 10 };
}

describe('recordRequest of a content-coded body', () => {
  const redactor = new Redactor();
  redactor.add(secret);

  it('keeps the gzip bytes as base64, not as mojibake text', () => {
    const gz = gzipSync(JSON.stringify({ password: secret }));
    const record = recordRequest(
      request(
        [
          ['Content-Type', 'application/json'],
          ['Content-Encoding', 'gzip'],
        ],
        gz,
      ),
      10_000,
      redactor,
    );
    expect(record.body).toEqual({ text: gz.toString('base64'), encoding: 'base64', size: gz.byteLength, truncated: false });
    expect(JSON.stringify(record)).not.toContain(secret);
  });

  it('still shows an identity-coded JSON body as text, redacted', () => {
    const json = Buffer.from(JSON.stringify({ password: secret }));
    const record = recordRequest(
      request(
        [
          ['Content-Type', 'application/json'],
          ['Content-Encoding', 'identity'],
        ],
        json,
      ),
      10_000,
      redactor,
    );
    expect(record.body?.text).toBe('{"password":"[REDACTED]"}');
  });
});
