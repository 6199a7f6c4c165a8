import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, redactUserinfo } from '../src/redactor.js';

describe('Redactor', () => {
  it('replaces a secret and its URL-encoded and base64 forms', () => {
    const redactor = new Redactor();
    redactor.add('s3cret value');
    const base64 = Buffer.from('s3cret value').toString('base64');
    expect(redactor.redact(`a s3cret value, s3cret%20value and ${base64}`)).toBe(`a ${REDACTED}, ${REDACTED} and ${REDACTED}`);
  });

  it('replaces the HTML-escaped form of a secret, as the HTML report writes it', () => {
    const redactor = new Redactor();
    redactor.add(`a&b<c>"d'e`);
    expect(redactor.redact('x a&amp;b&lt;c&gt;&quot;d&#39;e y')).toBe(`x ${REDACTED} y`);
  });

  it("registers all forms of a secret that is already another secret's form", () => {
    const redactor = new Redactor();
    redactor.add('abc def');
    redactor.add('abc%20def');
    expect(redactor.redact(encodeURIComponent('abc%20def'))).toBe(REDACTED);
  });

  describe('every form a serializer gives a secret on its way out', () => {
    const secret = 'P@ss w"o\\r%d+/&=é😀';
    const html = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    const json = JSON.stringify(secret).slice(1, -1);
    const forms: Record<string, string> = {
      raw: secret,
      encodeURIComponent: encodeURIComponent(secret),
      encodeURI: encodeURI(secret),
      'URL path (\\ becomes /)': new URL(`http://h/${secret}`).pathname.slice(1),
      'URL query': new URL(`http://h/?p=${secret}`).search.slice(3),
      'form (space as +)': new URLSearchParams({ p: secret }).toString().slice(2),
      'lower-case hex': encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
      'JSON once': json,
      'JSON twice': JSON.stringify(JSON.stringify(secret)).slice(3, -3),
      'JSON three times': JSON.stringify(JSON.stringify(JSON.stringify(secret))).slice(7, -7),
      'JSON, ASCII only': json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      'JSON with \\/': json.replace(/\//g, '\\/'),
      HTML: html(secret),
      'HTML numeric': secret.replace(/["&]/g, (c) => `&#${c.charCodeAt(0)};`),
      "named references (PHP's htmlentities)": html(secret).replace('é', '&eacute;'),
      'HTML of JSON twice': html(JSON.stringify(JSON.stringify(secret)).slice(3, -3)),
      'JSON of a form': JSON.stringify(new URLSearchParams({ p: secret }).toString().slice(2)).slice(1, -1),
      'percent-encoded twice (a URL in a query)': encodeURIComponent(encodeURIComponent(secret)),
      'percent-encoded three times': encodeURIComponent(encodeURIComponent(encodeURIComponent(secret))),
      'encodeURIComponent of a form, twice': encodeURIComponent(encodeURIComponent(new URLSearchParams({ p: secret }).toString().slice(2))),
      base64: Buffer.from(secret).toString('base64'),
      base64url: Buffer.from(secret).toString('base64url'),
      // A script's Buffer.from(secret).toString('hex'), CryptoJS.enc.Hex.stringify(CryptoJS.enc.Utf8.parse(secret)).
      hex: Buffer.from(secret).toString('hex'),
      'upper-case hex': Buffer.from(secret).toString('hex').toUpperCase(),
      // JavaScript's escape() (legacy ASP and JScript servers, old cookies): é as Latin-1 %E9, 😀 as %uD83D%uDE00.
      'escape()': escape(secret),
      'escape() in a query (encodeURIComponent of escape())': encodeURIComponent(escape(secret)),
      // Python's repr of the UTF-8 bytes (b'P@ss w"o\\r%d+/&=\xc3\xa9\xf0\x9f\x98\x80'), an error message of a Python API.
      'Python bytes repr': Array.from(Buffer.from(secret), (b) =>
        b >= 0x80 ? `\\x${b.toString(16)}` : b === 0x5c ? '\\\\' : String.fromCharCode(b),
      ).join(''),
      'Python bytes repr inside JSON': JSON.stringify(
        Array.from(Buffer.from(secret), (b) => (b >= 0x80 ? `\\x${b.toString(16)}` : String.fromCharCode(b))).join(''),
      ).slice(1, -1),
      // ES2015 and Rust escapes of every character, and C-style \xHH for a Latin-1 one.
      'every character as \\u{…}': Array.from(secret, (c) => `\\u{${(c.codePointAt(0) as number).toString(16)}}`).join(''),
      'Latin-1 as \\xHH': secret.replace('é', '\\xe9'),
    };
    for (const [name, form] of Object.entries(forms)) {
      it(name, () => {
        const redactor = new Redactor();
        redactor.add(secret);
        expect(redactor.redact(`<${form}>`)).toBe(`<${REDACTED}>`);
      });
    }

    it('hex of a longer text the secret is part of', () => {
      const redactor = new Redactor();
      redactor.add(secret);
      const prefix = Buffer.from('user:').toString('hex');
      expect(redactor.redact(Buffer.from(`user:${secret}!`).toString('hex'))).toBe(`${prefix}${REDACTED}21`);
    });

    it('btoa of a Latin-1 secret (its bytes are not UTF-8), whole and inside Basic credentials', () => {
      // A pm script's btoa(password), btoa(user + ':' + password): "bad czNjciJldC8mPHRvaytlbiDp" was shown.
      const latin1 = 's3cr"et/&<tok+en é';
      const redactor = new Redactor();
      redactor.add(latin1);
      expect(redactor.redact(`<${btoa(latin1)}>`)).toBe(`<${REDACTED}>`);
      for (const prefix of ['u:', 'us:', 'user:']) expect(redactor.redact(btoa(`${prefix}${latin1}!`)), prefix).toContain(REDACTED);
      // A secret beyond Latin-1 has no btoa form (btoa throws); one in ASCII has the same bytes either way.
      expect(() => btoa(secret)).toThrow();
    });

    it('base64 of a longer text the secret is part of, at every alignment', () => {
      const redactor = new Redactor();
      redactor.add(secret);
      for (const prefix of ['', 'u:', 'us:', 'user:']) {
        for (const alphabet of ['base64', 'base64url'] as const) {
          const encoded = Buffer.from(`${prefix}${secret}!`).toString(alphabet);
          const redacted = redactor.redact(encoded);
          expect(redacted, `${prefix} ${alphabet}`).toContain(REDACTED);
          // What is left is the prefix's own characters and at most two around each end.
          expect(redacted.replace(REDACTED, '').length, `${prefix} ${alphabet}`).toBeLessThanOrEqual(
            Math.ceil(((prefix.length + 1) * 8) / 6) + 4,
          );
        }
      }
    });

    it('a secret starting with a letter, every character written as a unit', () => {
      // Nothing but this secret is known: no other secret makes `%`, `&` or `\\` a place to look.
      const letters = 'Tok-abc!Z9';
      const everyByte = [...Buffer.from(letters)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
      const unicodeEscapes = [...letters].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
      const htmlDecimal = [...letters].map((c) => `&#${c.charCodeAt(0)};`).join('');
      for (const form of [everyByte, everyByte.toUpperCase(), unicodeEscapes, JSON.stringify(unicodeEscapes).slice(1, -1), htmlDecimal]) {
        const redactor = new Redactor();
        redactor.add(letters);
        expect(redactor.redact(`<${form}>`), form).toBe(`<${REDACTED}>`);
        expect(redactor.mayAppearInJson(JSON.stringify({ form })), form).toBe(true);
      }
    });

    it('in another Unicode normalization form (é as e + U+0301, ﬁ as fi)', () => {
      const redactor = new Redactor();
      redactor.add('Caf\u00e9-\ufb01x-9');
      expect(redactor.redact('<Cafe\u0301-\ufb01x-9>')).toBe(`<${REDACTED}>`);
      expect(redactor.redact('<Caf\u00e9-fix-9>')).toBe(`<${REDACTED}>`);
      expect(redactor.redact(encodeURIComponent('Cafe\u0301-\ufb01x-9'))).toBe(REDACTED);
    });

    it('split across lines: MIME base64 (76 a line, CRLF), PEM (64 a line), a wrapped log line, JSON-escaped breaks', () => {
      const secret = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc-with-a-longer-tail';
      const redactor = new Redactor();
      redactor.add(secret);
      const long = Buffer.from(`prefix:${secret}${secret}${secret}:suffix`).toString('base64');
      const mime = long.replace(/(.{76})/g, '$1\r\n');
      const pem = long.replace(/(.{64})/g, '$1\n');
      for (const wrapped of [mime, pem]) {
        expect(wrapped.split(/\r?\n/).some((line) => line.length < long.length)).toBe(true);
        const out = redactor.redact(wrapped);
        // No three copies' worth of base64 is left: every copy, each split by a line break somewhere, is gone.
        expect(out.match(/\[REDACTED\]/g)?.length, out).toBe(3);
        expect(JSON.stringify(redactor.redact(JSON.stringify(wrapped)))).not.toContain(long.slice(20, 40));
      }
      expect(redactor.redact(JSON.stringify(mime))).toMatch(/^"cHJlZml4O[^"]*\[REDACTED\].*\[REDACTED\].*\[REDACTED\]/);
      expect(redactor.redact(`token: ${secret.slice(0, 20)}\n${secret.slice(20)} end`)).toBe(`token: ${REDACTED} end`);
      expect(redactor.redact(JSON.stringify(`${secret.slice(0, 9)}\r\n${secret.slice(9)}`))).toBe(`"${REDACTED}"`);
      // A line break before a secret is no part of it; nor is one at a place where no secret goes on.
      expect(redactor.redact(`a\n${secret}\nb`)).toBe(`a\n${REDACTED}\nb`);
      expect(redactor.redact('sk_live\n4eC')).toBe('sk_live\n4eC');
      // A secret with line breaks of its own (a PEM key) is still found as it is.
      redactor.add('-----BEGIN KEY-----\nMIIEvQIBADANBgkq\n-----END KEY-----');
      expect(redactor.redact('k=-----BEGIN KEY-----\nMIIEvQIBADANBgkq\n-----END KEY-----.')).toBe(`k=${REDACTED}.`);
    });

    it('upper- and lower-cased, and in hex (either case), also inside a longer hex text', () => {
      const redactor = new Redactor();
      redactor.add('Tok-abc!Zé9');
      const hex = Buffer.from('Tok-abc!Zé9').toString('hex');
      for (const form of ['TOK-ABC!ZÉ9', 'tok-abc!zé9', hex, hex.toUpperCase(), `TOK-ABC%21Z%C3%899`]) {
        expect(redactor.redact(`<${form}>`), form).toBe(`<${REDACTED}>`);
      }
      expect(redactor.redact(`75736572${hex}0a`)).toBe(`75736572${REDACTED}0a`);
      // ASCII letters in any mix of cases: swapped (`tOK-ABC`), title-cased, folded by a server.
      const mixedHex = hex.replace(/[a-f]/g, (c, at: number) => (at % 3 === 0 ? c.toUpperCase() : c));
      for (const form of ['tOK-ABC!zé9', 'tOK-ABC!ZÉ9', 'TOK-abc!Zé9', 'tok-ABC!zÉ9', mixedHex]) {
        expect(redactor.redact(`<${form}>`), form).toBe(`<${REDACTED}>`);
      }
      // Non-ASCII letters only in the case forms registered: a secret letter's other case alone is not read as it.
      expect(redactor.redact('Tok-abc!Zè9')).toBe('Tok-abc!Zè9');
    });

    it("non-ASCII letters as the named references PHP's htmlentities() writes, case and all", () => {
      const redactor = new Redactor();
      redactor.add('Pwé€ßÜñ-x');
      expect(redactor.redact('<Pw&eacute;&euro;&szlig;&Uuml;&ntilde;-x>')).toBe(`<${REDACTED}>`);
      // &eacute; is é, not è (É is é's upper-case form, which the secret's lower-cased form holds).
      redactor.add('Pwè-yz');
      expect(redactor.redact('Pw&eacute;-yz')).toBe('Pw&eacute;-yz');
      expect(redactor.redact('Pw&egrave;-yz PW&Egrave;-YZ')).toBe(`${REDACTED} ${REDACTED}`);
      // Names of Object.prototype are no references.
      redactor.add('a\u0000bcd');
      expect(redactor.redact('a&valueOf;bcd a&toString;bcd')).toBe('a&valueOf;bcd a&toString;bcd');
    });

    it('stays quick on long runs of backslashes, also with a secret made of them', () => {
      const redactor = new Redactor();
      redactor.add('\\'.repeat(8));
      redactor.add('pw\\x');
      const text = `${'\\'.repeat(20_000)}pw\\\\x`;
      const redacted = redactor.redact(text);
      expect(redacted.endsWith(REDACTED)).toBe(true);
      expect(redacted).not.toContain('\\'.repeat(8));
    });

    it('as a host name: punycode, as URLs record it and DNS and TLS errors name it', () => {
      const redactor = new Redactor();
      redactor.add('PwSecrét€Zq9');
      const host = new URL('http://PwSecrét€Zq9.invalid/').host;
      expect(host).toBe('xn--pwsecrtzq9-g7a7868g.invalid');
      expect(redactor.redact(`cannot resolve host "${host}"`)).toBe(`cannot resolve host "${REDACTED}.invalid"`);
      // An ASCII secret is only lower-cased there; one of digits is read as an IPv4 address, not registered.
      redactor.add('123456789');
      expect(redactor.redact('http://7.91.205.21/')).toBe('http://7.91.205.21/');
    });

    it('Latin-1 percent-encoding (a windows-1252 form, PHP urlencode of a Latin-1 text) and %uXXXX', () => {
      const redactor = new Redactor();
      redactor.add('Pwé€Zq9');
      // é as its Latin-1 byte, € as %u20AC (escape()), also encoded again.
      for (const form of ['Pw%E9%u20ACZq9', 'Pw%e9%u20acZq9', 'Pw%25E9%25u20ACZq9'])
        expect(redactor.redact(`<${form}>`), form).toBe(`<${REDACTED}>`);
      // A secret starting with a letter only escape()-like encoders write as %u: found there too.
      redactor.add('Abcdefg1');
      expect(redactor.redact('<%u0041bcdefg1>')).toBe(`<${REDACTED}>`);
      expect(redactor.redact('%u00zz %uABCD %E9')).toBe('%u00zz %uABCD %E9');
    });

    it('leaves text that only looks like an encoding alone', () => {
      const redactor = new Redactor();
      redactor.add('correct horse');
      const text = 'correct+hors %zz \\q &nope; &#xZZ; correct%2';
      expect(redactor.redact(text)).toBe(text);
      expect(redactor.redact('x correct%2bhorse')).toBe('x correct%2bhorse');
    });
  });

  describe('a text cut in the middle of a secret (a body cut to the report size, a value cut to a message)', () => {
    const redactor = new Redactor();
    redactor.add('sekr3t-T0ken-value-42');
    it('takes the first part before an ellipsis, as truncateText marks a cut', () => {
      expect(redactor.redact('expected "x" but was "sekr3t-T…"')).toBe(`expected "x" but was "${REDACTED}…"`);
      // Also its encoded forms, and when it is JSON-escaped inside a record.
      expect(redactor.redact(JSON.stringify({ actual: 'a sekr3t-T0k…' }))).toBe(`{"actual":"a ${REDACTED}…"}`);
      expect(redactor.mayAppearInJson(JSON.stringify(['sekr3t-T0k…']))).toBe(true);
    });
    it('takes the first part at the end of a text cut there, only when told it was cut', () => {
      expect(redactor.redact('{"token":"sekr3t-T0k', true)).toBe(`{"token":"${REDACTED}`);
      expect(redactor.redact('{"token":"sekr3t-T0k')).toBe('{"token":"sekr3t-T0k');
    });
    it('leaves first parts shorter than four characters, and text that only looks alike', () => {
      expect(redactor.redact('a sek…', true)).toBe('a sek…');
      expect(redactor.redact('the sekr3t-T0ken… no: sekr3t-X…')).toBe(`the ${REDACTED}… no: sekr3t-X…`);
      expect(redactor.redact('Loading…')).toBe('Loading…');
    });
    it('still prefers a whole secret that goes on through an ellipsis', () => {
      const withEllipsis = new Redactor();
      withEllipsis.add('abc…def-secret');
      expect(withEllipsis.redact('x abc…def-secret y')).toBe(`x ${REDACTED} y`);
    });
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

  it('redacts a number that is a secret as a whole in data (redactData), and only there', () => {
    const redactor = new Redactor();
    redactor.add('987654');
    const actual = { pin: 987654, list: [987654, 19876540, 3], text: 'pin 987654' };
    expect(redactor.redactData(actual)).toEqual({ pin: REDACTED, list: [REDACTED, 19876540, 3], text: `pin ${REDACTED}` });
    expect(redactor.redactData(987654)).toBe(REDACTED);
    // Records keep their numbers (a size or a time that happens to match is no secret).
    expect(redactor.redactValue({ bodySize: 987654 })).toEqual({ bodySize: 987654 });
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

    it('finds a secret with characters JSON escapes in its JSON text, and nothing where it is not', () => {
      for (const secret of ['pa"ssword', 'back\\slash', 'new\nline', 'tab\there', 'lone\ud800x']) {
        const redactor = new Redactor();
        redactor.add(secret);
        const json = JSON.stringify({ value: secret });
        expect(json.includes(secret), secret).toBe(false);
        expect(redactor.mayAppearInJson(json), secret).toBe(true);
        expect(redactor.mayAppearInJson(JSON.stringify({ value: `${secret} twice`, again: JSON.stringify(secret) })), secret).toBe(true);
        expect(redactor.mayAppearInJson('{"value":"other"}'), secret).toBe(false);
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

  describe('with many secrets (a new token stored on every step)', () => {
    /** The plain way: one alternation of every form, longest first. */
    function referenceRedact(forms: Set<string>, text: string): string {
      const source = [...forms]
        .sort((a, b) => b.length - a.length)
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('|');
      return forms.size === 0 ? text : text.replace(new RegExp(source, 'g'), REDACTED);
    }

    /** Every form add() registers for a secret. */
    function formsOf(secret: string): string[] {
      const html = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
      const hex = Buffer.from(secret).toString('hex');
      return [
        secret,
        encodeURIComponent(secret),
        Buffer.from(secret).toString('base64'),
        JSON.stringify(secret).slice(1, -1),
        html,
        secret.toUpperCase(),
        secret.toLowerCase(),
        secret.normalize('NFC'),
        secret.normalize('NFD'),
        secret.normalize('NFKC'),
        hex,
        hex.toUpperCase(),
      ];
    }

    it('redacts exactly as one pattern of all secrets would, longest first, as secrets keep coming', () => {
      // Deterministic pseudo-random secrets that overlap: prefixes, suffixes and extensions of each other.
      let seed = 7;
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      const alphabet = 'abcdef0123-._ ';
      const word = (length: number) => Array.from({ length }, () => alphabet[random(alphabet.length)]).join('');
      const redactor = new Redactor();
      const forms = new Set<string>();
      const secrets: string[] = [];
      for (let i = 0; i < 400; i++) {
        const base = secrets.length > 0 && random(3) === 0 ? (secrets[random(secrets.length)] as string) : word(4 + random(6));
        const secret = random(2) === 0 ? base + word(1 + random(3)) : word(random(3)) + base;
        secrets.push(secret);
        redactor.add(secret);
        if (secret.length >= 4) for (const form of formsOf(secret)) forms.add(form);
        if (i % 7 === 0 || i > 380) {
          const text = Array.from({ length: 12 }, () =>
            random(2) === 0 ? (secrets[random(secrets.length)] as string) : word(random(8)),
          ).join(word(random(3)));
          expect(redactor.redact(text), `after ${i + 1} secrets: ${JSON.stringify(text)}`).toBe(referenceRedact(forms, text));
          expect(redactor.mayAppearInJson(JSON.stringify(text))).toBe(redactor.redact(JSON.stringify(text)) !== JSON.stringify(text));
        }
      }
    });

    it('finds a secret however its first three characters are written, among many secrets', () => {
      // The matcher skips a place by the secrets' first three characters; encoded units there must not be skipped.
      const redactor = new Redactor();
      for (let i = 0; i < 500; i++) redactor.add(`filler-${i}-${(i * 7919).toString(36)}`);
      const cases: [string, string][] = [
        ['+/xyzw', '-_xyzw'], // base64url's - and _ for base64's + and /
        ['a bcd', 'a+bcd'], // form encoding
        ['a\\bcd', 'a/bcd'], // the URL parser's / for a backslash
        ['abcd', '%61bcd'],
        ['abcd', 'a%62cd'],
        ['abcd', 'ab%63d'],
        ['a"cd', 'a\\"cd'],
        ['ab"d', 'ab\\\\\\"d'],
        ['a&cd', 'a&amp;cd'],
        ['ab<d', 'ab&#60;d'],
        ['éabc', '%C3%A9abc'],
      ];
      for (const [secret, written] of cases) {
        redactor.add(secret);
        expect(redactor.redact(`x ${written} y`), written).toBe(`x ${REDACTED} y`);
        expect(redactor.redact(written), written).toBe(REDACTED);
        expect(redactor.mayAppearInJson(`"${written}"`), written).toBe(true);
      }
      expect(redactor.redact('x filler-7-1gsb y')).toBe('x filler-7-1gsb y');
      expect(redactor.redact(`x filler-7-${(7 * 7919).toString(36)}`)).toBe(`x ${REDACTED}`);
    });

    it('finds every token of a long run, the first one and the newest', () => {
      const redactor = new Redactor();
      const tokens = Array.from({ length: 3000 }, (_, i) => `tok-${i.toString(36).padStart(4, '0')}-${(i * 7919).toString(16)}`);
      for (const token of tokens) {
        redactor.add(token);
        expect(redactor.redact(`{"token":"${token}"}`)).toBe(`{"token":"${REDACTED}"}`);
      }
      expect(redactor.redact(`a ${tokens[0]} b ${tokens[1500]} c ${tokens[2999]} d`)).toBe(`a ${REDACTED} b ${REDACTED} c ${REDACTED} d`);
      expect(redactor.mayAppearInJson(JSON.stringify({ value: tokens[42] }))).toBe(true);
      expect(redactor.mayAppearInJson(JSON.stringify({ value: 'tok-nothing' }))).toBe(false);
    });

    it('still finds the first secrets once the filter of first characters has grown for many more', () => {
      // The filter starts at 1 KiB and grows to 64 KiB as secrets come: each growth fills it again.
      const redactor = new Redactor();
      // Reversed base 36 of a hash: the secrets start with (nearly) 3,000 different first three characters.
      const secrets = Array.from(
        { length: 3000 },
        (_, i) => `${[...(Math.imul(i + 1, 2654435761) >>> 0).toString(36)].reverse().join('')}-secret`,
      );
      for (const secret of secrets) redactor.add(secret);
      expect(secrets.filter((secret) => redactor.redact(`<${secret}>`) !== `<${REDACTED}>`)).toEqual([]);
      expect(secrets.filter((secret) => !redactor.mayAppearInJson(JSON.stringify({ value: secret })))).toEqual([]);
    });
  });
});

describe('redactUserinfo', () => {
  it('hides the password of user:password@ and a lone user name, and leaves other URLs alone', () => {
    expect(redactUserinfo('https://ann:s3cret@api.test/x?y=1')).toBe('https://ann:[REDACTED]@api.test/x?y=1');
    expect(redactUserinfo('https://ghp_token123@github.test/')).toBe('https://[REDACTED]@github.test/');
    expect(redactUserinfo('not a url ann:pw@host')).toBe('not a url ann:pw@host');
    expect(redactUserinfo('https://api.test/users/a@b.test')).toBe('https://api.test/users/a@b.test');
    // A password with an "@" of its own: the userinfo ends at the last "@" before the path, as URL parsers read it.
    expect(redactUserinfo('redis://:p@ss-tail@127.0.0.1:6379/0')).toBe('redis://:[REDACTED]@127.0.0.1:6379/0');
    expect(redactUserinfo('https://ann:a@b@api.test/x@y')).toBe('https://ann:[REDACTED]@api.test/x@y');
    // A URL that does not parse because its password holds "/", "?" or "#" (the port became "pa"): up to its last "@".
    expect(redactUserinfo('http://admin:pa/ss-word@127.0.0.1:1/x')).toBe('http://admin:[REDACTED]@127.0.0.1:1/x');
    expect(redactUserinfo('http://admin:pa?ss#word@host.test/')).toBe('http://admin:[REDACTED]@host.test/');
    // One that parses keeps an "@" of its path or query.
    expect(redactUserinfo('https://api.test:8443/p?mail=a@b.test')).toBe('https://api.test:8443/p?mail=a@b.test');
  });
});
