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
  /** Values given to add() (each registered with all its forms). */
  readonly #added = new Set<string>();
  readonly #levels = new SecretLevels();
  /** Some secret has a character JSON escapes: it cannot be looked for in JSON text as written. */
  #escapedInJson = false;

  /**
   * Registers a secret value; its URL-encoded, base64, JSON-escaped (how it appears inside a JSON
   * string, e.g. echoed in a response body) and HTML-escaped forms are registered too.
   */
  add(secret: string | undefined | null): void {
    // A script may store the same token every step: its forms are computed once.
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH || this.#added.has(secret)) return;
    this.#added.add(secret);
    const forms = [
      secret,
      encodeUriForm(secret),
      Buffer.from(secret).toString('base64'),
      JSON.stringify(secret).slice(1, -1),
      encodeHtmlForm(secret),
    ];
    for (const form of forms) {
      if (this.#levels.add(form) && JSON_ESCAPED.test(form)) this.#escapedInJson = true;
    }
  }

  get size(): number {
    return this.#levels.size;
  }

  /** Replaces every registered secret in `text` (at each place the longest secret that starts there). */
  redact(text: string): string {
    if (this.#levels.size === 0 || text.length === 0) return text;
    return this.#levels.replace(text, REDACTED);
  }

  /**
   * Whether a secret may be inside the value `json` (the output of JSON.stringify) was serialised
   * from. False means no string or key of that value contains a secret, so redacting it would change
   * nothing: a secret with no character JSON escapes appears in the JSON text exactly as in the value.
   */
  mayAppearInJson(json: string): boolean {
    if (this.#levels.size === 0) return false;
    if (this.#escapedInJson) return true;
    return this.#levels.test(json);
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
    if (this.#levels.size === 0) return value;
    return redactDeep(value, this) as T;
  }
}

/**
 * Secrets looked for together, longest first. A level of a few secrets is searched with indexOf; a
 * larger one with one regular expression (an alternation; global, its lastIndex set before each use),
 * compiled once when the level is made (compiling costs ~4 µs per secret).
 */
interface Level {
  secrets: string[];
  pattern: RegExp | undefined;
}

/** Largest level searched secret by secret instead of with a compiled pattern. */
const SMALL_LEVEL = 8;

/** Up to this many secrets, all of them make one level with one pattern, rebuilt when one is added. */
const SINGLE_PATTERN_LIMIT = 64;

/**
 * The registered secrets, kept so that adding one never rebuilds a pattern of all of them. A run
 * whose script stores a new token on every step adds secrets all along, and each is redacted from
 * the step's records: with one pattern rebuilt per new secret, the 500th token cost ~15 ms.
 * Secrets are grouped in levels merged like the digits of a binary counter (a new secret is a level
 * of one; two levels where the newer is as large as the older become one), so a secret takes part
 * in O(log n) level builds and there are O(log n) levels. Redacting finds, at each point, the
 * leftmost match of any level and, among matches starting there, the longest: what one alternation
 * of all secrets, longest first, finds. Up to SINGLE_PATTERN_LIMIT secrets there is one level.
 */
class SecretLevels {
  readonly #known = new Set<string>();
  #levels: Level[] = [];
  /** Secrets added since the levels were last built. */
  #pending: string[] = [];
  /** Scratch space of replace(): each level's next match. */
  readonly #starts: number[] = [];
  readonly #ends: number[] = [];

  get size(): number {
    return this.#known.size;
  }

  /** Adds a secret; false when it was already known. */
  add(secret: string): boolean {
    if (this.#known.has(secret)) return false;
    this.#known.add(secret);
    this.#pending.push(secret);
    return true;
  }

  replace(text: string, replacement: string): string {
    const levels = this.#ready();
    const only = levels.length === 1 ? (levels[0] as Level).pattern : undefined;
    if (only !== undefined) return text.replace(only, replacement);
    // The next match of each level at or after `from`, found again only once it falls behind.
    const starts = this.#starts;
    const ends = this.#ends;
    starts.length = levels.length;
    ends.length = levels.length;
    starts.fill(-1);
    let out = '';
    let from = 0;
    for (;;) {
      let start = NONE;
      let end = -1;
      for (let i = 0; i < levels.length; i++) {
        let at = starts[i] as number;
        if (at < from) {
          at = findFrom(levels[i] as Level, text, from);
          starts[i] = at;
          ends[i] = foundEnd;
        }
        if (at < start || (at === start && at !== NONE && (ends[i] as number) > end)) {
          start = at;
          end = ends[i] as number;
        }
      }
      if (start === NONE) break;
      out += text.slice(from, start) + replacement;
      from = end;
    }
    return from === 0 ? text : out + text.slice(from);
  }

  test(text: string): boolean {
    for (const level of this.#ready()) if (findFrom(level, text, 0) !== NONE) return true;
    return false;
  }

  /** Builds the levels for the secrets added since last time. */
  #ready(): Level[] {
    const pending = this.#pending;
    if (pending.length === 0) return this.#levels;
    this.#pending = [];
    if (this.#known.size <= SINGLE_PATTERN_LIMIT) {
      // Few secrets: one pattern of all of them, the quickest to redact with, rebuilt as secrets come.
      const secrets = longestFirst([...this.#known]);
      this.#levels = [{ secrets, pattern: compilePattern(secrets) }];
      return this.#levels;
    }
    const levels = this.#levels;
    // A binary counter only ever changes its last levels: those from `changed` on are built anew.
    let changed = levels.length;
    for (const secret of pending) {
      let merged = [secret];
      while (levels.length > 0 && (levels.at(-1) as Level).secrets.length <= merged.length) {
        merged = (levels.pop() as Level).secrets.concat(merged);
      }
      changed = Math.min(changed, levels.length);
      levels.push({ secrets: merged, pattern: undefined });
    }
    for (let i = changed; i < levels.length; i++) levels[i] = buildLevel((levels[i] as Level).secrets);
    return levels;
  }
}

/** Start of "no match". */
const NONE = Number.POSITIVE_INFINITY;

/** End of the match findFrom() found last. */
let foundEnd = -1;

/** Where the leftmost match of a level at or after `from` starts (the longest one there; its end in foundEnd), or NONE. */
function findFrom(level: Level, text: string, from: number): number {
  const pattern = level.pattern;
  if (pattern !== undefined) {
    pattern.lastIndex = from;
    const match = pattern.exec(text);
    if (match === null) return NONE;
    foundEnd = match.index + match[0].length;
    return match.index;
  }
  let start = NONE;
  // Longest first: a later secret found at the same place is not longer.
  for (const secret of level.secrets) {
    const at = text.indexOf(secret, from);
    if (at !== -1 && at < start) {
      start = at;
      foundEnd = at + secret.length;
    }
  }
  return start;
}

function buildLevel(secrets: string[]): Level {
  const sorted = longestFirst(secrets);
  return { secrets: sorted, pattern: sorted.length <= SMALL_LEVEL ? undefined : compilePattern(sorted) };
}

/** Sorts secrets in place, longest first, and returns them. */
function longestFirst(secrets: string[]): string[] {
  return secrets.sort((a, b) => b.length - a.length);
}

/** One alternation of secrets already sorted longest first (global). */
function compilePattern(sorted: readonly string[]): RegExp {
  return new RegExp(sorted.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
}

/** The URL-encoded form; a lone surrogate (which encodeURIComponent rejects) is encoded as U+FFFD, as URL parsers do. */
/** The secret as the HTML report writes it in text and attributes (`&`, `<`, `>`, `"`, `'` as entities). */
function encodeHtmlForm(secret: string): string {
  return secret.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

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

/** `scheme://userinfo@` at the start of a URL string. */
const URL_USERINFO = /^([a-z][a-z\d+.-]*:\/\/)([^/?#@]*)@/i;

/**
 * Hides the credentials in the userinfo of a URL string (also one that does not parse as a URL): the
 * password of `user:password@` (`user:[REDACTED]@`), or a lone `token@` as a whole, since a user
 * name alone is often a token (`[REDACTED]@`). The one rule for URLs in messages and reports.
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1 (userinfo; "user:password" is deprecated)
 */
export function redactUserinfo(url: string): string {
  if (!url.includes('@')) return url;
  return url.replace(URL_USERINFO, (_match, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon === -1 ? `${scheme}${REDACTED}@` : `${scheme}${userinfo.slice(0, colon)}:${REDACTED}@`;
  });
}
