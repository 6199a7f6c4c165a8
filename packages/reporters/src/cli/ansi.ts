/**
 * ANSI styling (SGR codes only) and terminal-safe text. No dependency: a handful of codes is all
 * the CLI reporter needs.
 * @see https://en.wikipedia.org/wiki/ANSI_escape_code#SGR_(Select_Graphic_Rendition)_parameters
 */

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

const CODES: Record<Style, [open: number, close: number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

/** Styles text, or returns it unchanged when `enabled` is false. */
export type Paint = (style: Style, text: string) => string;

/** Creates a painter; with `enabled` false it returns text unchanged, so output stays stable for files and CI logs. */
export function createPaint(enabled: boolean): Paint {
  if (!enabled) return (_style, text) => text;
  return (style, text) => {
    const [open, close] = CODES[style];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  };
}

/**
 * C0 controls except tab and line feed, DEL and C1 controls (they could move the cursor or restyle
 * the terminal), and the bidirectional embeddings, overrides and isolates U+202A–U+202E and
 * U+2066–U+2069 (invisible, they reorder the rest of the line where the terminal does bidi:
 * `\u202etxt.exe` shows as `exe.txt`).
 */
const UNSAFE_TERMINAL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Makes text from a response or a user safe to print: control characters become visible `\xNN`, bidi controls `\uXXXX`. */
export function sanitizeTerminalText(text: string): string {
  return text.replace(UNSAFE_TERMINAL_CHARS, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/** Text that must stay on one line (titles, names, URLs): made safe to print, and line feeds shown as `\\n`. */
export function sanitizeTerminalLine(text: string): string {
  return sanitizeTerminalText(text).replace(/\n/g, '\\n');
}
