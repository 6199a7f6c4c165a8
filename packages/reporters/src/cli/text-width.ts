/**
 * How many terminal columns text takes, as wcwidth counts them (closely enough for the CLI's own
 * lines): a wide character (CJK, Hangul, fullwidth forms) or an emoji takes two, a combining mark
 * none, anything else one. The live status area cuts its lines with it so that none wraps, and a
 * failure's caret is placed with it under the value it points at.
 */

/** East Asian wide and fullwidth ranges (Hangul Jamo, CJK, Hiragana/Katakana, Hangul, fullwidth forms, CJK extensions), and emoji. */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]|\p{Emoji_Presentation}/u;
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200b-\u200f]/u;

/** Columns of one character (one code point). */
export function charColumns(char: string): number {
  if ((char.codePointAt(0) ?? 0) < 0x300) return 1;
  if (ZERO_WIDTH.test(char)) return 0;
  return WIDE.test(char) ? 2 : 1;
}

/** Columns of a text without escape codes. */
export function textColumns(text: string): number {
  let columns = 0;
  for (const char of text) columns += charColumns(char);
  return columns;
}
