/**
 * A curl command typed in PowerShell (Windows' own `curl.exe`; PowerShell's `curl` is Invoke-WebRequest),
 * as the words curl receives, so that it can be re-quoted for Bash (`toBashCommand`) and read by one parser.
 * PowerShell's quoting is not Bash's: in a single-quoted string `''` is one quote (Bash would end the string
 * and open another: `'it''s'` is `its` for Bash, `it's` for PowerShell); in a double-quoted string `""` and
 * `` `" `` are a quote and the backtick escapes (`` `n ``, `` `t ``…) are read; outside quotes a backtick
 * escapes the next character, and a backtick at a line's end continues the command on the next line.
 * A `$variable` in a double-quoted or bare word is kept as written (its value is not known at import).
 * @see https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/about/about_quoting_rules
 * @see https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/about/about_special_characters
 */

/** True for a command that reads as PowerShell: it runs `curl.exe`, or a line ends with a backtick. */
export function looksLikePowerShell(command: string): boolean {
  return /^\s*curl\.exe\s/i.test(command) || /[ \t]`\r?\n/.test(command);
}

/** PowerShell's escape sequences (about_Special_Characters); any other `` `x `` is `x`. */
const ESCAPES: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** The command's words (the first one `curl`); undefined when a quote is not closed. */
export function powerShellWords(command: string): string[] | undefined {
  const text = command.trim();
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "'") {
      // A verbatim string: '' is a quote, nothing else is special.
      let value = '';
      for (i += 1; ; i++) {
        if (i >= text.length) return undefined;
        if (text[i] === "'") {
          if (text[i + 1] !== "'") break;
          i += 1;
        }
        value += text[i];
      }
      word = (word ?? '') + value;
    } else if (c === '"') {
      // An expandable string: "" and `" are quotes, backtick escapes are read.
      let value = '';
      for (i += 1; ; i++) {
        if (i >= text.length) return undefined;
        const d = text[i] as string;
        if (d === '"') {
          if (text[i + 1] !== '"') break;
          i += 1;
          value += '"';
        } else if (d === '`' && i + 1 < text.length) {
          i += 1;
          value += escaped(text[i] as string);
        } else value += d;
      }
      word = (word ?? '') + value;
    } else if (c === '`') {
      // A backtick: the next character as is; at a line's end, the command goes on with the next line.
      const next = text[i + 1];
      if (next === '\r' && text[i + 2] === '\n') i += 2;
      else if (next === '\n') i += 1;
      else if (next !== undefined) {
        word = (word ?? '') + escaped(next);
        i += 1;
      }
    } else if (c === '#' && word === undefined) {
      // A comment, to the line's end.
      while (i + 1 < text.length && text[i + 1] !== '\n') i += 1;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  if (words[0] !== undefined && /^curl\.exe$/i.test(words[0])) words[0] = 'curl';
  return words;
}

function escaped(c: string): string {
  return ESCAPES[c] ?? c;
}
