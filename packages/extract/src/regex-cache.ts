import { ErrorCode, SortieError } from '@sortie/core';

/** Compiled patterns kept at most; the cache is emptied when it grows past this. */
const MAX_CACHED = 1000;

interface CompiledPattern {
  regexp: RegExp;
  /** Number of capture groups in the pattern. */
  groups: number;
}

const cache = new Map<string, CompiledPattern>();

/** Flags written at the start of a pattern, as PCRE, Python, Java and Rust (Hurl) read them: `(?i)`, `(?is)`. */
const INLINE_FLAGS = /^\(\?([ims]+)\)/;

/**
 * A pattern without its leading inline flags, and those flags as JavaScript's: `(?i)abc` is `abc`
 * with `i` (JavaScript has no such group: `(?i)ABC` was "Invalid group", and `matches`, which takes no
 * flags, could not ignore case). `i`, `m` and `s` mean the same in both.
 */
function splitInlineFlags(written: string): { pattern: string; inlineFlags: string } {
  const match = INLINE_FLAGS.exec(written);
  return match === null
    ? { pattern: written, inlineFlags: '' }
    : { pattern: written.slice(match[0].length), inlineFlags: match[1] as string };
}

/**
 * Compiles `pattern` with `flags` once (leading inline flags such as `(?i)` join `flags`) and returns the cached RegExp with its capture-group count.
 * The `g` and `y` flags are dropped: selectors and `matches` only look at the first match, and a
 * shared stateful RegExp would make results depend on earlier calls.
 * @throws SortieError(SELECTOR) when the pattern or the flags are invalid.
 */
export function compilePattern(written: string, flags = ''): CompiledPattern {
  const { pattern, inlineFlags } = splitInlineFlags(written);
  const cleanFlags = [...new Set(flags.replace(/[gy]/g, '') + inlineFlags)].join('');
  const key = `${cleanFlags}/${pattern}`;
  let compiled = cache.get(key);
  if (compiled === undefined) {
    let regexp: RegExp;
    try {
      regexp = new RegExp(pattern, cleanFlags);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new SortieError(ErrorCode.SELECTOR, 'Invalid regular expression', detail, { cause: error });
    }
    // A pattern followed by an empty alternative always matches "" and reports every group.
    const groups = (new RegExp(`${pattern}|`, cleanFlags).exec('')?.length ?? 1) - 1;
    compiled = { regexp, groups };
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, compiled);
  }
  return compiled;
}
