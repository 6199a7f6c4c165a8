/**
 * curl's `--data-urlencode @filename` and `name@filename` (curl(1), --data-urlencode): the file's content,
 * URL-encoded, is the value. curlconverter's JSON output keeps these as the text "@filename", so the command's
 * data parts are read from its parsed request and each file is read at import.
 * @see https://curl.se/docs/manpage.html#--data-urlencode
 */
import { resolve } from 'node:path';
import { readRegularFile } from '@sortie/core';

export interface UrlencodedBody {
  /** The request body as curl sends it. */
  text: string;
  notes: string[];
}

/**
 * The body of a command whose data has `--data-urlencode` file parts, with each file's content read from `cwd`;
 * undefined when it has none, or when it also has a `-d @file` part (imported as a body file elsewhere).
 */
export async function readUrlencodedFileData(bash: string, cwd: string): Promise<UrlencodedBody | undefined> {
  const [{ parse }, { supportedArgs }] = await Promise.all([
    import('curlconverter/dist/src/parse.js'),
    import('curlconverter/dist/src/generators/json.js'),
  ]);
  const data = parse(bash, supportedArgs)[0]?.dataArray ?? [];
  const files = data.flatMap((part) => ('filetype' in part ? [part] : []));
  if (files.length === 0 || files.some((part) => part.filetype !== 'urlencode')) return undefined;
  const notes: string[] = [];
  let text = '';
  // curlconverter puts the "&" between parts at the start of the text part after a file part.
  let dropSeparator = false;
  for (const part of data) {
    if (!('filetype' in part)) {
      const words = part.toString();
      text += dropSeparator && words.startsWith('&') ? words.slice(1) : words;
      dropSeparator = false;
      continue;
    }
    const file = part.filename.toString();
    const name = part.name?.toString();
    const option = `--data-urlencode ${name ?? ''}@${file}`;
    const content = file === '-' ? undefined : await readRegularFile(resolve(cwd, file)).catch((error: unknown) => error as Error);
    if (content instanceof Uint8Array) {
      text += `${name === undefined ? '' : `${name}=`}${encodeAsCurl(content)}`;
      notes.push(`curl: ${option}: the content of ${file} was URL-encoded into the body at import; import again when it changes`);
      continue;
    }
    // curl warns and leaves out a part whose file it cannot read.
    const reason =
      content === undefined ? 'standard input is not read at import' : 'code' in content ? String(content.code) : content.message;
    notes.push(`curl: ${option}: cannot read ${file} (${reason}); the part is left out, as curl leaves it out`);
    if (text.endsWith('&')) text = text.slice(0, -1);
    else dropSeparator = true;
  }
  return { text, notes };
}

/** curl_easy_escape: every byte but ALPHA / DIGIT / "-" / "." / "_" / "~" as %XX (RFC 3986 §2.1), then a space as "+", as curl's --data-urlencode does. */
function encodeAsCurl(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(char)) out += char;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
