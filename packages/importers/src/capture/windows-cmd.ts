/**
 * A curl command copied for Windows' cmd.exe (Chromium's "Copy as cURL (cmd)"), as the words curl
 * receives, re-quoted for Bash so that one parser reads every command. Chromium quotes each argument
 * as `^"…^"`, escapes every other special character with `^`, writes `\` as `\\` and `"` as `\"`,
 * a line break inside an argument as `^` and two line breaks, and ends each line with ` ^`.
 * cmd.exe reads `^x` as `x` and `^` at a line's end as "go on with the next line, its first character
 * as is"; outside cmd's own `"…"` quoting (where `^` is a plain character). The program's arguments
 * are then split at spaces outside `"…"` (the Microsoft C runtime's rules), `\"` being a quote and
 * `\\` a backslash, as Chromium wrote them.
 * @see https://learn.microsoft.com/en-us/cpp/c-language/parsing-c-command-line-arguments
 * @see https://ss64.com/nt/syntax-esc.html
 */

/** True for text that reads as a cmd.exe command: `curl ^"…` or a line ending in ` ^`. */
export function looksLikeWindowsCmd(command: string): boolean {
  return /^\s*curl(?:\.exe)?\s+\^"/i.test(command) || /\s\^\r?\n/.test(command);
}

/** The command's words; undefined when a quote is not closed. */
export function windowsCmdWords(command: string): string[] | undefined {
  // cmd.exe: carets, line continuations.
  let text = '';
  let quoted = false;
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    if (c === '"') quoted = !quoted;
    if (c !== '^' || quoted) {
      text += c;
      continue;
    }
    let next = i + 1;
    if (command[next] === '\r') next += 1;
    if (command[next] === '\n') {
      // `^` at the end of a line: the line goes on, and the next line's first character is taken as is.
      next += 1;
    }
    if (next < command.length) text += command[next];
    i = next;
  }
  if (quoted) return undefined;
  // The program's arguments.
  const words: string[] = [];
  let word: string | undefined;
  quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && (text[i + 1] === '\\' || text[i + 1] === '"')) {
      word = (word ?? '') + text[i + 1];
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
      word ??= '';
    } else if (!quoted && /\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (quoted) return undefined;
  if (word !== undefined) words.push(word);
  // Windows' own curl is named curl.exe.
  if (words[0] !== undefined && /^curl\.exe$/i.test(words[0])) words[0] = 'curl';
  return words;
}

/** Words as one Bash command line, each single-quoted (`'` as `'\''`). */
export function toBashCommand(words: readonly string[]): string {
  return words.map((word) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`)).join(' ');
}
