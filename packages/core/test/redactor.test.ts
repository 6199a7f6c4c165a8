import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../src/redactor.js';

describe('Redactor', () => {
  it('replaces a secret and its URL-encoded and base64 forms', () => {
    const redactor = new Redactor();
    redactor.add('s3cret value');
    const base64 = Buffer.from('s3cret value').toString('base64');
    expect(redactor.redact(`a s3cret value, s3cret%20value and ${base64}`)).toBe(`a ${REDACTED}, ${REDACTED} and ${REDACTED}`);
  });

  it("registers all forms of a secret that is already another secret's form", () => {
    const redactor = new Redactor();
    redactor.add('abc def');
    redactor.add('abc%20def');
    expect(redactor.redact(encodeURIComponent('abc%20def'))).toBe(REDACTED);
  });

  it('ignores secrets too short to redact safely', () => {
    const redactor = new Redactor();
    redactor.add('abc');
    expect(redactor.size).toBe(0);
    expect(redactor.redact('abc')).toBe('abc');
  });

  it('copies a value with every string redacted, object keys included, leaving numbers alone', () => {
    const redactor = new Redactor();
    redactor.add('s3cret-key');
    redactor.add('12345');
    const value = { 's3cret-key': ['a s3cret-key b', 12345], nested: { n: '12345' } };
    expect(redactor.redactValue(value)).toEqual({ [REDACTED]: [`a ${REDACTED} b`, 12345], nested: { n: REDACTED } });
    expect(value['s3cret-key'][0]).toBe('a s3cret-key b');
  });

  describe('mayAppearInJson', () => {
    it('is false without secrets and when no secret is in the JSON text', () => {
      const redactor = new Redactor();
      expect(redactor.mayAppearInJson('{"token":"t0k3n-value"}')).toBe(false);
      redactor.add('t0k3n-value');
      expect(redactor.mayAppearInJson(JSON.stringify({ body: '[REDACTED]', n: 1 }))).toBe(false);
    });

    it('is true when a secret is in a value or a key, every time it is asked', () => {
      const redactor = new Redactor();
      redactor.add('t0k3n-value');
      const json = JSON.stringify({ a: 'x t0k3n-value y' });
      expect(redactor.mayAppearInJson(json)).toBe(true);
      expect(redactor.mayAppearInJson(json)).toBe(true);
      expect(redactor.mayAppearInJson(JSON.stringify({ 't0k3n-value': 1 }))).toBe(true);
    });

    it('is always true once a secret has a character JSON escapes (it would not be found as written)', () => {
      for (const secret of ['pa"ssword', 'back\\slash', 'new\nline', 'tab\there', 'lone\ud800x']) {
        const redactor = new Redactor();
        redactor.add(secret);
        const json = JSON.stringify({ value: secret });
        expect(json.includes(secret), secret).toBe(false);
        expect(redactor.mayAppearInJson(json), secret).toBe(true);
        expect(redactor.mayAppearInJson('{}'), secret).toBe(true);
      }
    });

    it('looks for a secret added after an earlier probe', () => {
      const redactor = new Redactor();
      redactor.add('first-secret');
      expect(redactor.mayAppearInJson('"second-secret"')).toBe(false);
      redactor.add('second-secret');
      expect(redactor.mayAppearInJson('"second-secret"')).toBe(true);
    });
  });
});
