/**
 * `sortie import curl`: a curl command line, parsed by curlconverter (the parser behind
 * curlconverter.com, which reads it as Bash does), as a one-step scenario.
 * @see https://curl.se/docs/manpage.html
 */

import { relative, resolve } from 'node:path';
import { ErrorCode, nativeModuleUnavailable, redactUserinfo, SortieError } from '@sortie/core';
import type { ImportResult } from '../import-result.js';
import { type CapturedRequest, importCapturedRequests } from './captured-request.js';
import { readUrlencodedFileData } from './curl-data-urlencode.js';
import { readFormParts } from './curl-form-parts.js';
import { OUTPUT_ARGS, readCurlSettings, SETTING_ARGS } from './curl-settings.js';
import { looksLikePowerShell, powerShellWords } from './powershell.js';
import { looksLikeWindowsCmd, toBashCommand, windowsCmdWords } from './windows-cmd.js';

export interface ImportCurlOptions {
  /** The scenario's name (default: `METHOD host/path`). */
  name?: string;
  /** Where the command's relative file names (`-F file=@photo.png`, `--data-binary @body.json`) are read from (default: the process's working directory). */
  cwd?: string;
  /** The output folder: file names are written relative to its `scenarios/` folder, where the scenario is (default: kept as given). */
  outDir?: string;
}

interface CurlRequest {
  url: string;
  /** The URL with its query string. */
  raw_url?: string;
  method: string;
  headers?: Record<string, string | null>;
  data?: unknown;
  files?: Record<string, string>;
  auth?: { user: string; password: string };
  auth_type?: string;
  /** `-k`: curlconverter writes it as `false` (verify: false). */
  insecure?: boolean;
  /** `-x`/`--proxy` (also `--socks5`), as written: it may hold `user:password@`. */
  proxy?: string;
}

/** @throws SortieError INVALID_INPUT for text that is not a curl command (with what curlconverter reported). */
export async function importCurl(command: string, options: ImportCurlOptions = {}): Promise<ImportResult> {
  if (command.trim() === '') throw invalidCommand('the curl command is empty');
  const { toJsonObjectWarn } = await loadCurlconverter();
  let bash = command.trim();
  // Chromium's "Copy as cURL (cmd)": cmd.exe's quoting, read as cmd.exe reads it.
  if (looksLikeWindowsCmd(bash)) {
    const words = windowsCmdWords(bash);
    if (words === undefined) throw invalidCommand('it cannot be read as Windows cmd.exe reads it: a ^" quote is not closed');
    bash = toBashCommand(words);
  }
  // Windows' own curl is named curl.exe (PowerShell's `curl` is Invoke-WebRequest): PowerShell's quoting
  // ('it''s' is it's), backtick escapes and line ends, read as PowerShell reads them.
  else if (looksLikePowerShell(bash)) {
    const words = powerShellWords(bash);
    if (words === undefined) throw invalidCommand('it cannot be read as PowerShell reads it: a quote is not closed');
    bash = toBashCommand(words);
  }
  let parsed: CurlRequest;
  let warnings: Array<[string, string]>;
  try {
    const [value, warned] = toJsonObjectWarn(bash) as unknown as [CurlRequest, Array<[string, string]>];
    parsed = value;
    warnings = warned;
  } catch (error) {
    throw invalidCommand(describeParseError((error as Error).message));
  }
  const full = parsed.raw_url ?? parsed.url;
  if (typeof full !== 'string' || !URL.canParse(full)) {
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid curl command', 'the curl command has no absolute URL');
  }
  const url = new URL(full);
  // Postman's code generator writes a variable it could not resolve as it is (`curl '{{baseUrl}}/items'`):
  // curl would read `{{baseUrl}}` as a host name, and so did the import (`http://{{baseurl}}`).
  if (/[{}]/.test(decodeURIComponent(url.hostname))) {
    throw new SortieError(
      ErrorCode.INVALID_INPUT,
      'Invalid curl command',
      `the URL's host ${/^[a-z][a-z\d+.-]*:\/\/([^/?#]*)/i.exec(full)?.[1] ?? url.hostname} is a template variable, not a host name`,
      {
        hint: "give the API's origin in the URL (curl https://api.example.com/items); in Postman, select the environment that defines the variable before copying the code",
      },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SortieError(
      ErrorCode.INVALID_INPUT,
      'Invalid curl command',
      `the curl command's URL is ${url.protocol}; Sortie sends http: and https: requests`,
    );
  }
  const captured: CapturedRequest = {
    method: parsed.method.toUpperCase(),
    url: full,
    headers: Object.entries(parsed.headers ?? {}).flatMap(([name, value]) => (value === null ? [] : [[name, value] as [string, string]])),
  };
  if (parsed.auth !== undefined)
    captured.login = { user: parsed.auth.user, password: parsed.auth.password, type: parsed.auth_type === 'digest' ? 'digest' : 'basic' };
  const contentType = captured.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const notes: string[] = [];
  // A file named in the command, as the scenario (in OUT/scenarios) reaches it.
  const fromScenario = (file: string): string => {
    if (options.outDir === undefined) return file;
    return relative(resolve(options.outDir, 'scenarios'), resolve(options.cwd ?? process.cwd(), file))
      .split('\\')
      .join('/');
  };
  // --data-urlencode [name]@file: curlconverter gives "@file" as text (its unsafe-data warning); the content is the value.
  const urlencoded = warnings.some(([code]) => code === 'unsafe-data')
    ? await readUrlencodedFileData(bash, options.cwd ?? process.cwd())
    : undefined;
  const form = parsed.files !== undefined || (isRecord(parsed.data) && (contentType === undefined || /^multipart\//i.test(contentType)));
  if (urlencoded !== undefined) {
    captured.body = { text: urlencoded.text, mimeType: contentType ?? 'application/x-www-form-urlencoded' };
    notes.push(...urlencoded.notes);
  } else if (form) {
    // -F name=value and -F name=@file: multipart/form-data (curl(1), -F), in the command's order.
    const { parts, notes: partNotes } = await readFormParts(bash, options.cwd ?? process.cwd(), fromScenario);
    captured.body = { parts, ...(contentType === undefined ? {} : { mimeType: contentType }) };
    notes.push(...partNotes);
  } else if (typeof parsed.data === 'string' && /^@[^&]+$/.test(parsed.data) && parsed.data !== '@-') {
    // -d @file, --data-binary @file: the body is the file's content (curl(1), -d).
    captured.body = { file: fromScenario(parsed.data.slice(1)), ...(contentType === undefined ? {} : { mimeType: contentType }) };
    notes.push(
      `curl: the body is read from ${parsed.data.slice(1)} (body.file, as it is: curl's -d would drop its line breaks, --data-binary would not)`,
    );
  } else if (parsed.data !== undefined) {
    const body: NonNullable<CapturedRequest['body']> = {};
    if (contentType !== undefined) body.mimeType = contentType;
    if (typeof parsed.data === 'string') body.text = parsed.data;
    else if (/json/i.test(contentType ?? '')) body.text = JSON.stringify(parsed.data);
    else if (parsed.data !== null && typeof parsed.data === 'object') {
      body.params = Object.entries(parsed.data as Record<string, unknown>).flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value]).map((item) => ({ name, value: String(item) })),
      );
      body.mimeType ??= 'application/x-www-form-urlencoded';
    }
    captured.body = body;
  }
  const { settings, notes: settingNotes } = await readCurlSettings(bash);
  if (Object.keys(settings).length > 0) captured.settings = settings;
  notes.push(...settingNotes);
  for (const [code, message] of warnings) {
    if (SETTING_ARGS.includes(code) || OUTPUT_ARGS.includes(code)) continue;
    // curlconverter's "the generated data content is wrong" is about code it would generate; a file mixed with other data is ours to say.
    if (code === 'unsafe-data') {
      if (captured.body?.file === undefined && urlencoded === undefined)
        notes.push('curl: a @file in --data is sent as the text "@…", not the file: give the file alone (--data-binary @file) to send it');
    } else {
      const note = `curl: ${describeWarning(message)}`;
      if (!notes.includes(note)) notes.push(note);
    }
  }
  if (captured.body?.parts?.some((part) => part.file !== undefined))
    notes.push('curl: -F file parts name the files as the scenario reaches them');
  // curlconverter's JSON gives -k as `insecure: false` (verify: false).
  if (parsed.insecure !== undefined) notes.push('curl: -k (no TLS verification) becomes `sortie run --insecure`, not part of the scenario');
  if (typeof parsed.proxy === 'string') notes.push(describeProxy(parsed.proxy));
  const result = importCapturedRequests([captured], {
    name: options.name ?? `${captured.method} ${url.host}${url.pathname}`,
    file: 'curl',
  });
  return { ...result, notes: [...result.notes, ...notes], input: { file: 'the curl command' } };
}

/** curlconverter (an optional dependency of the package: its Bash parser is a native tree-sitter add-on). */
async function loadCurlconverter(): Promise<typeof import('curlconverter')> {
  try {
    return await import('curlconverter');
  } catch (error) {
    throw nativeModuleUnavailable(error, 'curlconverter', 'sortie import curl', ErrorCode.INVALID_INPUT) ?? error;
  }
}

function invalidCommand(message: string): SortieError {
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid curl command', message, {
    hint: "give one curl command, quoted as one argument: sortie import curl 'curl https://…' (or - to read it from standard input)",
  });
}

/**
 * curlconverter's error, first line. A Bash syntax error ("Bash parsing error on line 1:", then the
 * line and a caret row) says where, not what: the line itself is not repeated (it may hold a token).
 */
function describeParseError(message: string): string {
  const [first = 'not a curl command', , carets] = message.split('\n');
  const line = /^Bash parsing error on line (\d+)/.exec(first)?.[1];
  if (line === undefined) return first;
  const column = (carets ?? '').indexOf('^');
  const where = column === -1 ? `line ${line}` : `line ${line}, column ${column + 1}`;
  return `it cannot be read as Bash reads it, at ${where} (an unclosed quote or bracket?)`;
}

/**
 * A curlconverter warning on one line: one that shows a line of the command with a row of carets under a
 * part ("globs in the URL are not supported:", the URL, "^^^^") names that part instead, quoted.
 */
function describeWarning(message: string): string {
  const [first = '', shown, carets] = message.split('\n');
  const start = carets?.indexOf('^') ?? -1;
  if (shown === undefined || carets === undefined || start === -1) return first.trim();
  const part = shown.slice(start, start + carets.trim().length);
  return `${first.trim().replace(/:$/, '')}: "${part}"`;
}

/**
 * The note for `-x`: a proxy is a setting of where the run happens, not of the request, so it is not
 * in the scenario. Its credentials are never written (`user:[REDACTED]@`), also without a scheme.
 */
function describeProxy(proxy: string): string {
  const shown = /^[a-z][a-z\d+.-]*:\/\//i.test(proxy) ? redactUserinfo(proxy) : redactUserinfo(`x://${proxy}`).slice('x://'.length);
  return `curl: the proxy ${shown} is not part of the scenario: set it as \`http: { proxy: … }\` in the environment or with HTTPS_PROXY/HTTP_PROXY (docs/http.md, Proxies)`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
