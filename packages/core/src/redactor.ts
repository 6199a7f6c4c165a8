/**
 * The one redactor. Every secret value (tokens, passwords, client secrets, API keys, values of
 * secret variables, credential headers) is registered here, and every reporter, log line and
 * error message passes through `redact()` before it leaves the process.
 */

import { domainToASCII } from 'node:url';
import { isCredentialHeader } from './credential-names.js';
import { SecretMatcher } from './secret-matcher.js';

export const REDACTED = '[REDACTED]';

/** Header names whose values are always credentials (lower case). */
export const SENSITIVE_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-amz-security-token',
]);

/**
 * Whether a header of this name carries a credential: one of {@link SENSITIVE_HEADERS}, or one named as a
 * credential (`X-Auth-Token`, `X-Access-Token`, `Api-Key`, `…-Token`, `…-Secret`, `X-Session-Id`; see
 * {@link isCredentialHeader}). Such a header is hidden in records, its value is a secret once sent, and a
 * redirect to another origin drops it.
 */
export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADERS.has(name.toLowerCase()) || isCredentialHeader(name);
}

/** Secrets shorter than this are not registered: redacting "1" would destroy every report. */
const MIN_SECRET_LENGTH = 4;

/**
 * Base64 of a text a secret is only part of (`user:password` in Basic credentials) holds the
 * secret's characters shifted; the part that depends on the secret alone is registered when it is at
 * least this long (shorter runs of base64 letters turn up in ordinary text).
 */
const MIN_SHIFTED_BASE64 = 8;

export class Redactor {
  /** Values given to add(). */
  readonly #added = new Set<string>();
  readonly #matcher = new SecretMatcher();

  /**
   * Registers a secret value. The matcher finds it however a serializer encoded it on its way out
   * (percent and form encoding, JSON escapes at any depth, HTML references: see SecretMatcher);
   * its base64 and base64url forms, also as part of a longer encoded text, its upper- and
   * lower-cased forms, its hex forms and its punycode form as a host name are registered too.
   */
  add(secret: string | undefined | null): void {
    // A script may store the same token every step: its forms are computed once.
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH || this.#added.has(secret)) return;
    this.#added.add(secret);
    this.#matcher.add(secret);
    // URL and UTF-8 encoders write a lone surrogate as U+FFFD.
    const wellFormed = secret.replace(LONE_SURROGATE, '\ufffd');
    if (wellFormed !== secret) this.#matcher.add(wellFormed);
    for (const form of base64Forms(secret, 'utf8')) this.#matcher.add(form);
    // btoa() (a pm script's, a browser's Basic credentials) encodes each character as one Latin-1 byte.
    if (isLatin1BeyondAscii(secret)) for (const form of base64Forms(secret, 'latin1')) this.#matcher.add(form);
    for (const form of otherForms(secret)) this.#matcher.add(form);
  }

  /** Number of patterns looked for (a secret and its encoded, cased and normalized forms). */
  get size(): number {
    return this.#matcher.size;
  }

  /**
   * Replaces every registered secret in `text` (at each place the longest secret that starts there),
   * and the first part of one cut by an ellipsis (`truncateText`). `cut`: the text was cut at its
   * end (a body cut to the report size), so the first part of a secret there goes too.
   */
  redact(text: string, cut = false): string {
    if (this.#matcher.size === 0 || text.length === 0) return text;
    return this.#matcher.replace(text, REDACTED, cut);
  }

  /**
   * Whether a secret may be inside the value `json` (the output of JSON.stringify) was serialised
   * from. False means no string or key of that value contains a secret, so redacting it would change
   * nothing: the matcher reads JSON escapes, so a secret in a string is found in its JSON text too.
   */
  mayAppearInJson(json: string): boolean {
    if (this.#matcher.size === 0) return false;
    return this.#matcher.test(json);
  }

  /** Redacts a header value: credential headers are hidden entirely. */
  redactHeader(name: string, value: string): string {
    return isSensitiveHeader(name) ? REDACTED : this.redact(value);
  }

  /**
   * A copy of a JSON-like value with every string redacted, object keys included. Redacting before
   * serialising keeps JSON valid: a secret that looks like a number is never replaced in the syntax.
   */
  redactValue<T>(value: T): T {
    if (this.#matcher.size === 0) return value;
    return redactDeep(value, this, false) as T;
  }

  /**
   * A copy of a value a response or a script gave (an assertion's expected and actual values): as
   * redactValue, and a number that is a secret as a whole (a PIN a JSON body answered as `987654`)
   * becomes the string "[REDACTED]". Not for records, whose numbers (sizes, times) are no data.
   */
  redactData<T>(value: T): T {
    if (this.#matcher.size === 0) return value;
    return redactDeep(value, this, true) as T;
  }
}

/**
 * Whether a secret has a character above ASCII and none above U+00FF: its Latin-1 bytes (what `btoa`
 * encodes, and RFC 7617 §2.1 leaves Basic credentials to) differ from its UTF-8 bytes.
 * @see https://html.spec.whatwg.org/multipage/webappapis.html#dom-btoa
 */
function isLatin1BeyondAscii(secret: string): boolean {
  return /[\u0080-\u00ff]/.test(secret) && !/[^\u0000-\u00ff]/.test(secret);
}

/**
 * The base64 forms of a secret (the matcher reads base64url's `-` and `_` as `+` and `/`): the whole
 * secret encoded, with its padding, and, for the secret inside a longer encoded text, the characters
 * that depend on the secret alone at each of the three byte alignments. The first of those is a
 * prefix of the whole form: it costs the tree one more end, not a path.
 */
function base64Forms(secret: string, encoding: 'utf8' | 'latin1'): string[] {
  const forms: string[] = [];
  for (const offset of [0, 1, 2]) {
    const bytes = Buffer.from(offset === 0 ? secret : 'AA'.slice(0, offset) + secret, encoding);
    const encoded = bytes.toString('base64');
    // Padded and unpadded (base64url): the one a prefix of the other.
    if (offset === 0) forms.push(encoded, encoded.replace(/=+$/, ''));
    const core = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor((bytes.length * 8) / 6));
    if (core.length >= (offset === 0 ? MIN_SECRET_LENGTH : MIN_SHIFTED_BASE64)) forms.push(core);
  }
  return forms;
}

/**
 * The secret upper- and lower-cased (a server that shouts an error, `INVALID TOKEN TOK-ABC`, or
 * folds a header value), in the Unicode normalization forms a server may store it in (NFC, NFD,
 * and NFKC as SASLprep and PRECIS prepare passwords: `é` as one or two code points, `ﬁ` as `fi`),
 * and its UTF-8 bytes in hexadecimal, both cases (a debug dump, a hex digest input echoed back).
 * Hex is per byte: the form is found inside a longer hex text too.
 * @see https://www.rfc-editor.org/rfc/rfc8265#section-4.2 (PRECIS OpaqueString: NFC); RFC 4013 (SASLprep: NFKC)
 */
function otherForms(secret: string): string[] {
  const hex = Buffer.from(secret).toString('hex');
  const forms = [
    secret.toUpperCase(),
    secret.toLowerCase(),
    secret.normalize('NFC'),
    secret.normalize('NFD'),
    secret.normalize('NFKC'),
    hex,
    hex.toUpperCase(),
  ];
  const host = punycodeForm(secret);
  if (host !== undefined) forms.push(host);
  return forms;
}

/**
 * A secret with non-ASCII letters that a URL puts in its host (a tenant subdomain,
 * `https://{{TENANT_KEY}}.api.example/`) is sent, recorded and named in DNS and TLS errors as
 * punycode (`xn--pwsecrtzq9-g7a7868g`), the WHATWG URL host parser's domain-to-ASCII: that form,
 * when the secret is a valid domain and the form has a punycode label. Only then: a secret of
 * digits would otherwise register its IPv4 reading.
 * @see https://url.spec.whatwg.org/#concept-domain-to-ascii; RFC 3492 (Punycode); UTS #46
 */
function punycodeForm(secret: string): string | undefined {
  // ASCII is only lower-cased (a form already registered); a host ends at a slash, backslash, `?`, `#`, `@` or `:`.
  if (/^\p{ASCII}*$/u.test(secret) || /[/\\?#@:]/.test(secret)) return undefined;
  const ascii = domainToASCII(secret);
  return ascii.includes('xn--') ? ascii : undefined;
}

/** Lone surrogates, which UTF-8 encoders write as U+FFFD. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `numbers`: the value is data, where a number that is a secret as a whole becomes "[REDACTED]". */
function redactDeep(value: unknown, redactor: Redactor, numbers: boolean): unknown {
  if (typeof value === 'string') return redactor.redact(value);
  if (typeof value === 'number') return numbers && redactor.redact(String(value)) === REDACTED ? REDACTED : value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redactor, numbers));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redactor.redact(k)] = redactDeep(v, redactor, numbers);
    return out;
  }
  return value;
}

/**
 * `scheme://userinfo@` at the start of a URL string. The userinfo ends at the authority's LAST "@"
 * (WHATWG URL, which undici and ioredis parse with): in `redis://:p@ss@host` the password is
 * `p@ss`, and stopping at the first "@" showed its tail (`:[REDACTED]@ss@host`).
 */
const URL_USERINFO = /^([a-z][a-z\d+.-]*:\/\/)([^/?#]*)@/i;

/**
 * Hides the credentials in the userinfo of a URL string (also one that does not parse as a URL): the
 * password of `user:password@` (`user:[REDACTED]@`), or a lone `token@` as a whole, since a user
 * name alone is often a token (`[REDACTED]@`). The one rule for URLs in messages and reports.
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1 (userinfo; "user:password" is deprecated)
 */
export function redactUserinfo(url: string): string {
  if (!url.includes('@')) return url;
  const hidden = url.replace(URL_USERINFO, hideUserinfo);
  if (hidden !== url || URL.canParse(url)) return hidden;
  // A URL that does not parse because its password holds a "/", "?" or "#" (`http://admin:pa/ss@host`:
  // the port became "pa"): its userinfo is taken to run to the last "@" before a space.
  return url.replace(LOOSE_USERINFO, hideUserinfo);
}

/** `scheme://…@` up to the last "@" before a space: the userinfo of a URL that does not parse. */
const LOOSE_USERINFO = /^([a-z][a-z\d+.-]*:\/\/)([^\s]*)@/i;

function hideUserinfo(_match: string, scheme: string, userinfo: string): string {
  const colon = userinfo.indexOf(':');
  return colon === -1 ? `${scheme}${REDACTED}@` : `${scheme}${userinfo.slice(0, colon)}:${REDACTED}@`;
}
