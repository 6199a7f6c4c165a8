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

/** C0 controls except tab and line feed, DEL and C1 controls: they could move the cursor or restyle the terminal. */
const UNSAFE_TERMINAL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Makes text from a response or a user safe to print: control characters become visible `\xNN`. */
export function sanitizeTerminalText(text: string): string {
  return text.replace(UNSAFE_TERMINAL_CHARS, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
