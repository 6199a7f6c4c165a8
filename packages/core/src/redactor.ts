/**
 * The one redactor. Every secret value (tokens, passwords, client secrets, API keys, values of
 * secret variables, credential headers) is registered here, and every reporter, log line and
 * error message passes through `redact()` before it leaves the process.
 */

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

/** Characters JSON.stringify writes as escapes: quote, backslash, control characters, lone surrogates. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const JSON_ESCAPED = new RegExp(`["\\\\\\u0000-\\u001f]|${LONE_SURROGATE.source}`);

/** Secrets shorter than this are not registered: redacting "1" would destroy every report. */
const MIN_SECRET_LENGTH = 4;

export class Redactor {
  readonly #secrets = new Set<string>();
  /** Values given to add() (each registered with all its forms). */
  readonly #added = new Set<string>();
  #pattern: RegExp | undefined;
  /** Non-global copy of the pattern, for `test()` (a global RegExp keeps a lastIndex between calls). */
  #probe: RegExp | undefined;
  /** Some secret has a character JSON escapes: it cannot be looked for in JSON text as written. */
  #escapedInJson = false;

  /**
   * Registers a secret value; its URL-encoded, base64 and JSON-escaped forms (how it appears inside
   * a JSON string, e.g. echoed in a response body) are registered too.
   */
  add(secret: string | undefined | null): void {
    // A script may store the same token every step: its forms are computed once.
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH || this.#added.has(secret)) return;
    this.#added.add(secret);
    const forms = [secret, encodeUriForm(secret), Buffer.from(secret).toString('base64'), JSON.stringify(secret).slice(1, -1)];
    for (const form of forms) {
      if (!this.#secrets.has(form)) {
        this.#secrets.add(form);
        this.#pattern = undefined;
        this.#probe = undefined;
        if (JSON_ESCAPED.test(form)) this.#escapedInJson = true;
      }
    }
  }

  get size(): number {
    return this.#secrets.size;
  }

  /** Replaces every registered secret in `text`. */
  redact(text: string): string {
    if (this.#secrets.size === 0 || text.length === 0) return text;
    this.#pattern ??= new RegExp(this.#source(), 'g');
    return text.replace(this.#pattern, REDACTED);
  }

  /**
   * Whether a secret may be inside the value `json` (the output of JSON.stringify) was serialised
   * from. False means no string or key of that value contains a secret, so redacting it would change
   * nothing: a secret with no character JSON escapes appears in the JSON text exactly as in the value.
   */
  mayAppearInJson(json: string): boolean {
    if (this.#secrets.size === 0) return false;
    if (this.#escapedInJson) return true;
    this.#probe ??= new RegExp(this.#source());
    return this.#probe.test(json);
  }

  #source(): string {
    return [...this.#secrets]
      .sort((a, b) => b.length - a.length)
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|');
  }

  /** Redacts a header value: credential headers are hidden entirely. */
  redactHeader(name: string, value: string): string {
    return SENSITIVE_HEADERS.has(name.toLowerCase()) ? REDACTED : this.redact(value);
  }

  /**
   * A copy of a JSON-like value with every string redacted, object keys included. Redacting before
   * serialising keeps JSON valid: a secret that looks like a number is never replaced in the syntax.
   */
  redactValue<T>(value: T): T {
    if (this.#secrets.size === 0) return value;
    return redactDeep(value, this) as T;
  }
}

/** The URL-encoded form; a lone surrogate (which encodeURIComponent rejects) is encoded as U+FFFD, as URL parsers do. */
function encodeUriForm(secret: string): string {
  return encodeURIComponent(secret.replace(LONE_SURROGATE, '\ufffd'));
}

function redactDeep(value: unknown, redactor: Redactor): unknown {
  if (typeof value === 'string') return redactor.redact(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redactor));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redactor.redact(k)] = redactDeep(v, redactor);
    return out;
  }
  return value;
}
