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

/** Secrets shorter than this are not registered: redacting "1" would destroy every report. */
const MIN_SECRET_LENGTH = 4;

export class Redactor {
  readonly #secrets = new Set<string>();
  #pattern: RegExp | undefined;

  /** Registers a secret value; its URL-encoded and base64 forms are registered too. */
  add(secret: string | undefined | null): void {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) return;
    const forms = [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')];
    for (const form of forms) {
      if (!this.#secrets.has(form)) {
        this.#secrets.add(form);
        this.#pattern = undefined;
      }
    }
  }

  get size(): number {
    return this.#secrets.size;
  }

  /** Replaces every registered secret in `text`. */
  redact(text: string): string {
    if (this.#secrets.size === 0 || text.length === 0) return text;
    if (this.#pattern === undefined) {
      const escaped = [...this.#secrets].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      this.#pattern = new RegExp(escaped.join('|'), 'g');
    }
    return text.replace(this.#pattern, REDACTED);
  }

  /** Redacts a header value: credential headers are hidden entirely. */
  redactHeader(name: string, value: string): string {
    return SENSITIVE_HEADERS.has(name.toLowerCase()) ? REDACTED : this.redact(value);
  }

  /** Deeply redacts every string inside a JSON-like value. */
  redactValue<T>(value: T): T {
    if (this.#secrets.size === 0) return value;
    return redactDeep(value, this) as T;
  }
}

function redactDeep(value: unknown, redactor: Redactor): unknown {
  if (typeof value === 'string') return redactor.redact(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redactor));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, redactor);
    return out;
  }
  return value;
}
