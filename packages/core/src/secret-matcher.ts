/**
 * Finds secrets in text however the text encodes them. The secrets are kept in one radix tree
 * (adding one costs its length, whatever the number already known), and the text is read as a
 * sequence of *units*, each standing for one character of a secret:
 *
 * - the character itself;
 * - percent-encoding (`%40`, a UTF-8 sequence `%C3%A9`, either hex case), whichever characters a
 *   serializer chose to encode: URL, path, query and form serializers all differ; also a Latin-1
 *   byte (`%E9` for `é`) and escape()'s `%u20AC`;
 * - form encoding's `+` for a space, and the WHATWG URL parser's `/` for a `\` in a path;
 * - JSON string escapes at any depth (`\"`, `\\\"`, `\\\\`, `\n`, `\u00e9`, `\/`…): a JSON body
 *   echoed inside a JSON string is escaped twice; also `\u{1F600}` (ES2015, Rust) and `\xHH`, a
 *   Latin-1 character or a UTF-8 byte (Python's repr of bytes);
 * - HTML character references (`&quot;`, `&amp;`, `&#39;`, `&#x27;`, `&eacute;`…), also after JSON escapes;
 * - base64url's `-` and `_` for base64's `+` and `/`, so one base64 form of a secret serves both;
 * - an ASCII letter in either case: a server that folds or swaps case (`sECRET` for `Secret`), a
 *   title-cased echo. Secrets are kept with their ASCII letters in lower case, and every code unit
 *   read from the text is folded the same way (non-ASCII case forms are registered by the redactor);
 * - a line break (CR, LF, or the JSON escape of one) inside a secret stands for nothing: a text
 *   wrapped at a fixed width (MIME base64 every 76 characters, RFC 2045 §6.8; PEM every 64, RFC 7468
 *   §2; a log line wrapped by its writer) still shows the secret. A secret's own line breaks are
 *   read as themselves first.
 *
 * A secret is found wherever the text spells it with any mix of these units. Where several secrets
 * start at the leftmost place, the longest (in text) wins. Base64 is not a per-character encoding:
 * the redactor registers base64 forms as secrets of their own.
 */

interface TrieNode {
  /** The characters on the edge into this node (the first one is the key in the parent). */
  label: string;
  children: Map<number, TrieNode> | undefined;
  /** A secret ends at the end of the label. */
  terminal: boolean;
}

const BACKSLASH = 0x5c;
const PERCENT = 0x25;
const PLUS = 0x2b;
const SLASH = 0x2f;
const AMPERSAND = 0x26;
const QUOTE = 0x22;
const DASH = 0x2d;
const UNDERSCORE = 0x5f;

/**
 * Bits in the filter of secrets' first three code units: a bitset that grows with the secrets, from
 * 1 KiB (2^13 bits) to 64 KiB (2^19 bits), kept at most 1/64 full until then. At 10,000 secrets with
 * their base64 forms about one in ten text positions passes the largest by chance, and is then
 * walked. A redactor is made per run and most runs know a few secrets: with a 64 KiB table from the
 * start, a new redactor and its first secret cost ~70 µs of CPU (6 µs now): 5 % of the agent executor's
 * profile per one-request run (BENCHMARKS.md, issue 13, session 9).
 */
const TRIGRAM_MIN_LOG2 = 13;
const TRIGRAM_MAX_LOG2 = 19;
/** The filter grows while it would be fuller than one bit in this many. */
const TRIGRAM_SPARSENESS = 64;

/** The mark of a cut (`truncateText` in @sortie/extract writes it). */
const ELLIPSIS = 0x2026;
/**
 * The shortest first part of a secret redacted at a cut: shorter ones tell next to nothing, and
 * redacting them would eat ordinary words ("Bea" of a registered "Bearer …" header value).
 */
const MIN_PARTIAL = 4;

/** Percent-encoding applied again at most this many times (`%252540` is `@` encoded three times). */
const MAX_PERCENT_DEPTH = 3;

/** Longest run of backslashes read as escapes (JSON escaping six times deep). */
const MAX_BACKSLASH_RUN = 64;

/** What a JSON escape letter stands for. */
const JSON_ESCAPES: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, b: 0x08, f: 0x0c, '/': SLASH, "'": 0x27 };

/**
 * Named HTML character references a serializer writes: the markup characters (read in any case),
 * and the Latin-1 letters and signs and `&euro;` that PHP's htmlentities() and the like write for
 * non-ASCII text (case matters there: `&Eacute;` is not `&eacute;`). The rest are numeric.
 * @see https://html.spec.whatwg.org/multipage/named-characters.html
 */
const HTML_NAMED = new Map<string, number>([['euro', 0x20ac]]);
const LATIN1_NAMES =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute ' +
  'micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig ' +
  'Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash ' +
  'Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ' +
  'ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc ' +
  'uuml yacute thorn yuml';
for (const [index, name] of LATIN1_NAMES.split(' ').entries()) HTML_NAMED.set(name, 0xa0 + index);

export class SecretMatcher {
  readonly #root: TrieNode = { label: '', children: new Map(), terminal: false };
  #count = 0;
  /** Code units a match can start with: first characters of secrets and the starts of units. */
  readonly #startable = new Uint8Array(0x10000);
  /** The first code units of the secrets. */
  readonly #firsts = new Uint8Array(0x10000);
  /** Some secret starts with a letter or digit: `%`, `&` and `\\` are looked at (#unitSpellsFirst). */
  #alphanumericFirst = false;
  /**
   * A bitset of the (hashed) first three code units of every secret. Where the text shows three
   * characters that each stand only for themselves (none starts an encoded unit), a secret can start
   * there only if it starts with those three, so a clear bit skips the walk (one-character units
   * are looked up under both readings, see #mayStartAt). Secrets shorter than three code units turn
   * the filter off. Step records are mostly letters, and with base64 forms of many tokens nearly
   * every letter starts some secret: without the filter most places were walked.
   */
  #trigrams = new Uint32Array(1 << (TRIGRAM_MIN_LOG2 - 5));
  /** 32 − the filter's log2 size: a hash's top bits are its bit. */
  #trigramShift = 32 - TRIGRAM_MIN_LOG2;
  /** The first three code units of every secret added (c0·2³² + c1·2¹⁶ + c2), to fill a larger filter. */
  readonly #trigramKeys: number[] = [];
  #filtering = true;
  /** Scratch: the end of the longest match found from the current start. */
  #best = -1;
  /** Scratch: where the current walk started. */
  #start = 0;
  /** Scratch: the text being read was cut at its end (see replace). */
  #cutAtEnd = false;
  /**
   * Scratch: the (tree position, text position) pairs already followed from the current start, made
   * at the first encoded unit. Readings of the text can branch (`\\\\` is one backslash or two), and
   * a secret of many backslashes against a long run of them would otherwise be tried in exponentially
   * many ways; with this, each pair is followed once.
   */
  #visited: Map<TrieNode, Set<number>> | undefined;

  /** Number of distinct secrets added. */
  get size(): number {
    return this.#count;
  }

  /** Adds a secret; false when it was already known. */
  add(text: string): boolean {
    if (text.length === 0) return false;
    const secret = foldAscii(text);
    this.#markStartable(secret.charCodeAt(0));
    if (secret.length < 3) this.#filtering = false;
    else this.#addTrigram(secret.charCodeAt(0), secret.charCodeAt(1), secret.charCodeAt(2));
    let node = this.#root;
    let i = 0;
    for (;;) {
      if (i === secret.length) {
        if (node.terminal) return false;
        node.terminal = true;
        this.#count++;
        return true;
      }
      const children = node.children ?? new Map<number, TrieNode>();
      node.children = children;
      const child = children.get(secret.charCodeAt(i));
      if (child === undefined) {
        children.set(secret.charCodeAt(i), { label: secret.slice(i), children: undefined, terminal: true });
        this.#count++;
        return true;
      }
      // How much of the child's label the secret shares.
      const label = child.label;
      let common = 1;
      while (common < label.length && i + common < secret.length && label.charCodeAt(common) === secret.charCodeAt(i + common)) common++;
      if (common < label.length) {
        // Split the edge: the shared part becomes a node of its own.
        const rest: TrieNode = { label: label.slice(common), children: child.children, terminal: child.terminal };
        child.label = label.slice(0, common);
        child.children = new Map([[rest.label.charCodeAt(0), rest]]);
        child.terminal = false;
      }
      node = child;
      i += common;
    }
  }

  /** Sets the filter bit of a secret's first three code units, first making the filter larger when it is due. */
  #addTrigram(c0: number, c1: number, c2: number): void {
    const keys = this.#trigramKeys;
    keys.push(c0 * 0x1_0000_0000 + c1 * 0x1_0000 + c2);
    let log2 = 32 - this.#trigramShift;
    if (log2 < TRIGRAM_MAX_LOG2 && keys.length * TRIGRAM_SPARSENESS > 1 << log2) {
      while (log2 < TRIGRAM_MAX_LOG2 && keys.length * TRIGRAM_SPARSENESS > 1 << log2) log2++;
      this.#trigrams = new Uint32Array(1 << (log2 - 5));
      this.#trigramShift = 32 - log2;
      for (const key of keys) this.#setTrigram(Math.floor(key / 0x1_0000_0000), Math.floor(key / 0x1_0000) & 0xffff, key & 0xffff);
    } else this.#setTrigram(c0, c1, c2);
  }

  #setTrigram(c0: number, c1: number, c2: number): void {
    const bit = trigramBit(c0, c1, c2, this.#trigramShift);
    (this.#trigrams[bit >>> 5] as number) |= 1 << (bit & 31);
  }

  /**
   * Marks what a text may show where a secret starting with `first` starts: the character itself,
   * and the start of each unit that can stand for it. A letter or digit is seldom escaped, but may
   * be (RFC 3986 §2.3 lets an encoder percent-encode unreserved characters, and some encode every
   * byte; `\\u0054`, `&#84;`): for those, a `%`, `&` or `\\` is walked only where the unit it starts
   * spells a secret's first character (see #unitSpellsFirst), so texts full of them stay cheap.
   */
  #markStartable(first: number): void {
    const startable = this.#startable;
    startable[first] = 1;
    this.#firsts[first] = 1;
    if (first >= 0x61 && first <= 0x7a) {
      // The text may show the letter in upper case (the tree holds it folded).
      startable[first - 0x20] = 1;
      this.#firsts[first - 0x20] = 1;
    }
    if (first === 0x20) startable[PLUS] = 1;
    if (first === BACKSLASH) startable[SLASH] = 1;
    if (first === PLUS) startable[DASH] = 1;
    if (first === SLASH) startable[UNDERSCORE] = 1;
    const alphanumeric = (first >= 0x30 && first <= 0x39) || ((first | 0x20) >= 0x61 && (first | 0x20) <= 0x7a);
    if (alphanumeric) {
      this.#alphanumericFirst = true;
      return;
    }
    // Percent-encoded by some serializer; an HTML reference (named or numeric); a JSON escape.
    startable[PERCENT] = 1;
    startable[AMPERSAND] = 1;
    if (first < 0x20 || first >= 0x7f || first === QUOTE || first === BACKSLASH || first === SLASH || first === 0x27)
      startable[BACKSLASH] = 1;
  }

  /**
   * Replaces every secret found in `text` by `replacement`. A text that was cut (a body cut to the
   * report size, a value cut to a message's length and marked with `…`) can end in the first part
   * of a secret: that part goes too when it is at least {@link MIN_PARTIAL} characters long, before
   * an ellipsis (U+2026) always, at the end of the text when `cutAtEnd`.
   */
  replace(text: string, replacement: string, cutAtEnd = false): string {
    this.#cutAtEnd = cutAtEnd;
    let out = '';
    let last = 0;
    let at = this.#next(text, 0);
    while (at !== -1) {
      out += text.slice(last, at) + replacement;
      last = this.#best;
      at = this.#next(text, last);
    }
    return last === 0 ? text : out + text.slice(last);
  }

  /** Whether some secret (or the first part of one before an ellipsis) is in `text`. */
  test(text: string): boolean {
    this.#cutAtEnd = false;
    return this.#next(text, 0) !== -1;
  }

  /** The leftmost place at or after `from` where a secret starts (its end in #best), or -1. */
  #next(text: string, from: number): number {
    const startable = this.#startable;
    const filtering = this.#filtering;
    const trigrams = this.#trigrams;
    const shift = this.#trigramShift;
    const root = this.#root;
    const unitsOfLetters = this.#alphanumericFirst;
    const last = text.length - 2;
    for (let p = from; p < text.length; p++) {
      const c0 = text.charCodeAt(p);
      if (startable[c0] === 0 && !(unitsOfLetters && c0 < 0x80 && UNIT_START[c0] === 1 && this.#unitSpellsFirst(text, p, c0))) continue;
      if (filtering && p < last) {
        const c1 = text.charCodeAt(p + 1);
        const c2 = text.charCodeAt(p + 2);
        if (c0 < 0x80 && c1 < 0x80 && c2 < 0x80 && PLAIN[c0] === 1 && PLAIN[c1] === 1 && PLAIN[c2] === 1) {
          // The common case: three characters that stand for themselves, one look.
          const bit = trigramBit(fold(c0), fold(c1), fold(c2), shift);
          if (((trigrams[bit >>> 5] as number) & (1 << (bit & 31))) === 0) continue;
        } else if (!this.#mayStartAt(c0, c1, c2)) continue;
      }
      this.#best = -1;
      this.#visited = undefined;
      this.#start = p;
      this.#walk(root, root.label.length, text, p);
      if (this.#best > p) return p;
    }
    return -1;
  }

  /**
   * Whether the unit at `pos` (`%XX`, `&#NN;`, `&#xXX;`, a run of backslashes before `uXXXX`) stands
   * for the first character of a secret. The one check for secrets that start with a letter or digit,
   * which no other unit stands for.
   */
  #unitSpellsFirst(text: string, pos: number, code: number): boolean {
    if (code === PERCENT) {
      for (let depth = 0; depth <= MAX_PERCENT_DEPTH; depth++) {
        const byte = readPercentByte(text, pos, depth);
        if (byte >= 0 && this.#firsts[byte] === 1) return true;
        const wide = readPercentWide(text, pos, depth);
        if (wide >= 0 && this.#firsts[wide] === 1) return true;
        if (depth > 0 && byte < 0 && !isPercentPrefix(text, pos, depth)) return false;
      }
      return false;
    }
    if (code === AMPERSAND) {
      if (text.charCodeAt(pos + 1) !== 0x23) return false;
      const reference = readHtmlReference(text, pos);
      return reference !== undefined && reference.code < 0x10000 && this.#firsts[reference.code] === 1;
    }
    if (code !== BACKSLASH) return false;
    let end = pos + 1;
    while (end < text.length && end - pos < MAX_BACKSLASH_RUN && text.charCodeAt(end) === BACKSLASH) end++;
    if (!isPowerOfTwo(end - pos)) return false;
    if (text.charCodeAt(end) === 0x78) {
      const byte = readHexByte(text, pos, end - pos);
      return byte >= 0 && this.#firsts[byte] === 1;
    }
    if (text.charCodeAt(end) !== 0x75) return false;
    const escaped = text.slice(end + 1, end + 5);
    if (/^[0-9a-fA-F]{4}$/.test(escaped)) return this.#firsts[Number.parseInt(escaped, 16)] === 1;
    const braced = readBracedEscape(text, end);
    return braced !== undefined && braced.code < 0x10000 && this.#firsts[braced.code] === 1;
  }

  /**
   * False when no secret can start where the text shows these three characters: each stands for
   * itself or, for the one-character units (`+`, `/`, `-`, `_`), for one other character, and no
   * secret starts with any of those readings. True (walk) at the start of a longer unit.
   */
  #mayStartAt(t0: number, t1: number, t2: number): boolean {
    const c0 = fold(t0);
    const c1 = fold(t1);
    const c2 = fold(t2);
    const a0 = readingOf(c0);
    const a1 = readingOf(c1);
    const a2 = readingOf(c2);
    if (a0 < 0 || a1 < 0 || a2 < 0) return true;
    for (let i = 0; i < 2; i++) {
      const x = i === 0 ? c0 : a0;
      for (let j = 0; j < 2; j++) {
        const y = j === 0 ? c1 : a1;
        for (let k = 0; k < 2; k++) {
          const bit = trigramBit(x, y, k === 0 ? c2 : a2, this.#trigramShift);
          if (((this.#trigrams[bit >>> 5] as number) & (1 << (bit & 31))) !== 0) return true;
          if (a2 === c2) break;
        }
        if (a1 === c1) break;
      }
      if (a0 === c0) break;
    }
    return false;
  }

  /**
   * Follows the text from `pos` down the tree from the point `offset` characters into `node`'s
   * label, recording in #best the furthest text position where a secret ends.
   */
  #walk(node: TrieNode, offset: number, text: string, pos: number): void {
    for (;;) {
      if (offset === node.label.length && node.terminal && pos > this.#best) this.#best = pos;
      if (pos >= text.length) {
        if (this.#cutAtEnd) this.#partialEndsAt(pos);
        return;
      }
      if (offset === node.label.length && node.children === undefined) return;
      const code = fold(text.charCodeAt(pos));
      if (!isPlain(code)) {
        this.#walkUnits(node, offset, text, pos, code);
        return;
      }
      // The common case, a character standing for itself: no branching.
      if (offset < node.label.length) {
        if (node.label.charCodeAt(offset) !== code) {
          if (isLineBreak(code) && pos > this.#start) {
            pos++;
            continue;
          }
          if (code === ELLIPSIS) this.#partialEndsAt(pos);
          return;
        }
        offset++;
      } else {
        const child = (node.children as Map<number, TrieNode>).get(code);
        if (child === undefined) {
          if (isLineBreak(code) && pos > this.#start) {
            pos++;
            continue;
          }
          if (code === ELLIPSIS) this.#partialEndsAt(pos);
          return;
        }
        node = child;
        offset = 1;
      }
      pos++;
    }
  }

  /** The text was cut at `pos` in the middle of a secret: the part before the cut counts as a match when long enough. */
  #partialEndsAt(pos: number): void {
    if (pos - this.#start >= MIN_PARTIAL && pos > this.#best) this.#best = pos;
  }

  /** At a character that may start an encoded unit: tries each reading of the text from `pos`. */
  #walkUnits(node: TrieNode, offset: number, text: string, pos: number, code: number): void {
    this.#follow(node, offset, text, pos + 1, code);
    switch (code) {
      case PLUS:
        this.#follow(node, offset, text, pos + 1, 0x20);
        break;
      case SLASH:
        this.#follow(node, offset, text, pos + 1, BACKSLASH);
        break;
      case DASH:
        this.#follow(node, offset, text, pos + 1, PLUS);
        break;
      case UNDERSCORE:
        this.#follow(node, offset, text, pos + 1, SLASH);
        break;
      case PERCENT:
        this.#percentUnit(node, offset, text, pos);
        break;
      case AMPERSAND: {
        const reference = readHtmlReference(text, pos);
        if (reference !== undefined) this.#followCodePoint(node, offset, text, reference.end, reference.code);
        break;
      }
      default:
        this.#backslashUnits(node, offset, text, pos);
    }
  }

  /**
   * `%XX`, or a UTF-8 sequence of them standing for one character; also percent-encoded again
   * (`%2540` for `@`, a URL carried in another URL's query: `redirect=…%3Ftoken%3DP%2540ss`), at
   * each depth up to {@link MAX_PERCENT_DEPTH}: `%` then `25` once per extra encoding, then the byte.
   * A `+` read at a depth also stands for a space (a form value encoded twice more); `%2B` alone
   * is a plus sign.
   */
  #percentUnit(node: TrieNode, offset: number, text: string, pos: number): void {
    for (let depth = 0; depth <= MAX_PERCENT_DEPTH; depth++) {
      if (depth > 0 && !isPercentPrefix(text, pos, depth)) return;
      const unit = 3 + 2 * depth;
      const wide = readPercentWide(text, pos, depth);
      if (wide >= 0) this.#follow(node, offset, text, pos + unit + 3, wide);
      const lead = readPercentByte(text, pos, depth);
      if (lead < 0) continue;
      // A byte of Latin-1 text: a form or URL encoded as ISO-8859-1/windows-1252, escape()'s é as %E9.
      if (lead >= 0xa0) this.#follow(node, offset, text, pos + unit, lead);
      if (lead < 0x80) {
        this.#follow(node, offset, text, pos + unit, lead);
        if (lead === PLUS && depth > 0) this.#follow(node, offset, text, pos + unit, 0x20);
        continue;
      }
      const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
      if (length === 0) continue;
      let codePoint = lead & (0x7f >> length);
      let valid = true;
      for (let i = 1; i < length && valid; i++) {
        const byte = readPercentByte(text, pos + unit * i, depth);
        if (byte < 0x80 || byte >= 0xc0) valid = false;
        else codePoint = (codePoint << 6) | (byte & 0x3f);
      }
      if (valid) this.#followCodePoint(node, offset, text, pos + unit * length, codePoint);
    }
  }

  /**
   * A run of backslashes: JSON escaping n times doubles a backslash n times, so a `\` is a run of
   * 2ⁿ, a `"` is 2ⁿ−1 of them before the quote (or its HTML reference), and `\n`, `\uXXXX` and the
   * like are 2ⁿ⁻¹ before the letter.
   */
  #backslashUnits(node: TrieNode, offset: number, text: string, pos: number): void {
    // Escaping 2^6 deep is more than any serializer does; the cap keeps a long run of backslashes linear.
    let run = 1;
    while (run < MAX_BACKSLASH_RUN && pos + run < text.length && text.charCodeAt(pos + run) === BACKSLASH) run++;
    for (let m = 2; m <= run; m *= 2) this.#follow(node, offset, text, pos + m, BACKSLASH);
    if (!isPowerOfTwo(run)) {
      if (isPowerOfTwo(run + 1)) this.#quoteAfter(node, offset, text, pos + run);
      return;
    }
    const after = pos + run;
    if (isPowerOfTwo(run + 1)) this.#quoteAfter(node, offset, text, after);
    const letter = text[after];
    if (letter === undefined) return;
    const escaped = JSON_ESCAPES[letter];
    if (escaped !== undefined) {
      this.#follow(node, offset, text, after + 1, escaped);
      // A line break escaped in a JSON string (a wrapped base64 or PEM text in a JSON body).
      if (isLineBreak(escaped) && pos > this.#start) this.#goOn(node, offset, text, after + 1);
    } else if (letter === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(after + 1, after + 5))) {
      this.#follow(node, offset, text, after + 5, Number.parseInt(text.slice(after + 1, after + 5), 16));
    } else if (letter === 'u') {
      const braced = readBracedEscape(text, after);
      if (braced !== undefined) this.#followCodePoint(node, offset, text, braced.end, braced.code);
    } else if (letter === 'x') this.#hexByteUnits(node, offset, text, pos, run);
  }

  /**
   * `\xHH` at `pos` (after `run` backslashes): a character up to U+00FF (JavaScript, C, Python
   * str), or one byte of a UTF-8 sequence (Python's repr of bytes, `b'Pw\xc3\xa9'`; Go's %q and
   * C's escapes of a byte string), the sequence's other bytes escaped the same way.
   */
  #hexByteUnits(node: TrieNode, offset: number, text: string, pos: number, run: number): void {
    const lead = readHexByte(text, pos, run);
    if (lead < 0) return;
    const unit = run + 3;
    this.#follow(node, offset, text, pos + unit, lead);
    const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
    if (length === 0) return;
    let codePoint = lead & (0x7f >> length);
    for (let i = 1; i < length; i++) {
      const byte = readHexByte(text, pos + unit * i, run);
      if (byte < 0x80 || byte >= 0xc0) return;
      codePoint = (codePoint << 6) | (byte & 0x3f);
    }
    this.#followCodePoint(node, offset, text, pos + unit * length, codePoint);
  }

  /** A quote (or its HTML reference) at `at`, ending a run of escaping backslashes. */
  #quoteAfter(node: TrieNode, offset: number, text: string, at: number): void {
    if (text.charCodeAt(at) === QUOTE) this.#follow(node, offset, text, at + 1, QUOTE);
    else if (text.charCodeAt(at) === AMPERSAND) {
      const reference = readHtmlReference(text, at);
      if (reference?.code === QUOTE) this.#follow(node, offset, text, reference.end, QUOTE);
    }
  }

  #followCodePoint(node: TrieNode, offset: number, text: string, end: number, codePoint: number): void {
    if (codePoint < 0x10000) {
      this.#follow(node, offset, text, end, codePoint);
      return;
    }
    const high = 0xd800 + ((codePoint - 0x10000) >> 10);
    const low = 0xdc00 + ((codePoint - 0x10000) & 0x3ff);
    const cursor = advance(node, offset, high);
    if (cursor !== undefined) this.#follow(cursor.node, cursor.offset, text, end, low);
  }

  /** Walks on from tree position (`node`, `offset`) and text position `end`, unless that pair was followed already. */
  #goOn(node: TrieNode, offset: number, text: string, end: number): void {
    this.#visited ??= new Map();
    let seen = this.#visited.get(node);
    if (seen === undefined) {
      seen = new Set();
      this.#visited.set(node, seen);
    }
    // Text positions stay below 2^32 (strings are shorter), label offsets far below 2^20.
    const key = offset * 2 ** 32 + end;
    if (seen.has(key)) return;
    seen.add(key);
    this.#walk(node, offset, text, end);
  }

  /** Moves down the tree by one code unit read from the text, then goes on from `end`. */
  #follow(node: TrieNode, offset: number, text: string, end: number, code: number): void {
    const cursor = advance(node, offset, code);
    if (cursor !== undefined) this.#goOn(cursor.node, cursor.offset, text, end);
  }
}

/** CR or LF: where a text is wrapped (MIME base64 every 76 characters, PEM every 64, a long log line). */
function isLineBreak(code: number): boolean {
  return code === 0x0a || code === 0x0d;
}

/** An ASCII capital letter's small letter; any other code unit as it is. */
function fold(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code | 0x20 : code;
}

const ASCII_ONLY = /^[\u0000-\u007f]*$/;

/** A text with its ASCII letters in lower case (other characters kept: their case forms are secrets of their own). */
function foldAscii(text: string): string {
  // toLowerCase() is native and, on ASCII, the same; elsewhere it would fold letters whose other case is no form.
  return ASCII_ONLY.test(text) ? text.toLowerCase() : text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** Whether a text character stands only for itself (#walk follows it without trying encoded units). */
function isPlain(code: number): boolean {
  return code >= 0x80 || PLAIN[code] === 1;
}

/**
 * What a text character may stand for besides itself, for the filter: itself when nothing else,
 * the other character of a one-character unit (`+` a space, `/` a backslash, `-` and `_` base64's
 * `+` and `/`), -1 where a longer unit may start (`%`, `\`, `&`).
 */
const READINGS = Int32Array.from({ length: 0x80 }, (_, code) => code);
READINGS[PLUS] = 0x20;
READINGS[SLASH] = BACKSLASH;
READINGS[DASH] = PLUS;
READINGS[UNDERSCORE] = SLASH;
READINGS[PERCENT] = -1;
READINGS[BACKSLASH] = -1;
READINGS[AMPERSAND] = -1;

/** 1 for `%`, `&` and `\\`, where a unit that can stand for a letter or digit starts. */
const UNIT_START = Uint8Array.from({ length: 0x80 }, (_, code) => (code === PERCENT || code === AMPERSAND || code === BACKSLASH ? 1 : 0));

/** 1 for the ASCII characters that stand only for themselves. */
const PLAIN = Uint8Array.from(READINGS, (reading, code) => (reading === code ? 1 : 0));

function readingOf(code: number): number {
  return code >= 0x80 ? code : (READINGS[code] as number);
}

/** The filter bit of three code units, in a filter of 2^(32 − shift) bits. */
function trigramBit(c0: number, c1: number, c2: number, shift: number): number {
  return (Math.imul(Math.imul(c0, 0x9e3779b1) ^ c1, 0x85ebca6b) ^ Math.imul(c2, 0xc2b2ae35)) >>> shift;
}

/** The tree position after one more code unit, or undefined when no secret goes on that way. */
function advance(node: TrieNode, offset: number, unit: number): { node: TrieNode; offset: number } | undefined {
  const code = fold(unit);
  if (offset < node.label.length) return node.label.charCodeAt(offset) === code ? { node, offset: offset + 1 } : undefined;
  const child = node.children?.get(code);
  return child === undefined ? undefined : { node: child, offset: 1 };
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** The byte of `%XX` at `pos` (with `depth` times `25` after the `%`: encoded again), or -1. */
function readPercentByte(text: string, pos: number, depth = 0): number {
  if (text.charCodeAt(pos) !== PERCENT || (depth > 0 && !isPercentPrefix(text, pos, depth))) return -1;
  const at = pos + 1 + 2 * depth;
  const high = hexValue(text.charCodeAt(at));
  const low = hexValue(text.charCodeAt(at + 1));
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

/**
 * The UTF-16 code unit of `%uXXXX` at `pos` (with `depth` times `25` after the `%`), or -1: the
 * non-standard form JavaScript's escape() writes for characters above U+00FF (a surrogate pair as
 * two of them), and legacy servers (ASP, JScript) read and echo.
 * @see https://tc39.es/ecma262/#sec-escape-string (Annex B.2.1.1)
 */
function readPercentWide(text: string, pos: number, depth: number): number {
  if (text.charCodeAt(pos) !== PERCENT || (depth > 0 && !isPercentPrefix(text, pos, depth))) return -1;
  const at = pos + 1 + 2 * depth;
  if ((text.charCodeAt(at) | 0x20) !== 0x75) return -1;
  let unit = 0;
  for (let i = 1; i <= 4; i++) {
    const digit = hexValue(text.charCodeAt(at + i));
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

/** The byte of `\\xHH` at `pos`, where the escape is `run` backslashes long, or -1. */
function readHexByte(text: string, pos: number, run: number): number {
  for (let i = 0; i < run; i++) if (text.charCodeAt(pos + i) !== BACKSLASH) return -1;
  if (text.charCodeAt(pos + run) !== 0x78) return -1;
  const high = hexValue(text.charCodeAt(pos + run + 1));
  const low = hexValue(text.charCodeAt(pos + run + 2));
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

/** `u{1F600}` at `at` (the `u` of an ES2015, Rust or Swift escape): its code point and end. */
function readBracedEscape(text: string, at: number): { code: number; end: number } | undefined {
  const match = /^u\{([0-9a-fA-F]{1,6})\}/.exec(text.slice(at, at + 10));
  if (match === null) return undefined;
  const code = Number.parseInt(match[1] as string, 16);
  return code > 0x10ffff ? undefined : { code, end: at + match[0].length };
}

/** Whether `%` at `pos` is followed by `25` `depth` times (a percent sign encoded `depth` more times). */
function isPercentPrefix(text: string, pos: number, depth: number): boolean {
  for (let i = 0; i < depth; i++) {
    const at = pos + 1 + 2 * i;
    if (text.charCodeAt(at) !== 0x32 || text.charCodeAt(at + 1) !== 0x35) return false;
  }
  return true;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

const HTML_REFERENCE = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,7}));/y;

/** The character reference (`&quot;`, `&#39;`, `&#x27;`) at `pos`: its code point and end. */
/** The markup references (and `&nbsp;`), which serializers also write in upper case (`&AMP;`, `&QUOT;`). */
const MARKUP_NAMED = new Map<string, number>([
  ['amp', 0x26],
  ['lt', 0x3c],
  ['gt', 0x3e],
  ['quot', 0x22],
  ['apos', 0x27],
  ['nbsp', 0xa0],
]);

function readHtmlReference(text: string, pos: number): { code: number; end: number } | undefined {
  HTML_REFERENCE.lastIndex = pos;
  const match = HTML_REFERENCE.exec(text);
  if (match === null) return undefined;
  const [whole, decimal, hex, name] = match;
  const code =
    decimal !== undefined
      ? Number(decimal)
      : hex !== undefined
        ? Number.parseInt(hex, 16)
        : (MARKUP_NAMED.get((name as string).toLowerCase()) ?? HTML_NAMED.get(name as string));
  if (code === undefined || code > 0x10ffff) return undefined;
  return { code, end: pos + whole.length };
}
