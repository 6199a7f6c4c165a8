/**
 * `sortie import har`: a HAR 1.2 file (browser developer tools, Playwright's `recordHar`) as one
 * scenario, one step per entry in order, asserting the recorded status.
 * @see http://www.softwareishard.com/blog/har-12-spec/
 */
import { basename, relative, resolve } from 'node:path';
import { checkUtf8, checkUtf8Text, parseJsonSource } from '@sortie/config';
import { ErrorCode, fileReadReason, isSessionCookie, readRegularFile, SortieError } from '@sortie/core';
import { type ImportResult, secretName } from '../import-result.js';
import { type CapturedRequest, importCapturedRequests } from './captured-request.js';
import { RecordedCookies } from './recorded-cookies.js';

/** The parts of a HAR 1.2 log that an import reads. */
interface HarEntry {
  request?: {
    method?: unknown;
    url?: unknown;
    headers?: unknown;
    cookies?: unknown;
    postData?: { mimeType: string; text?: string; params?: unknown; encoding?: unknown } | null;
    bodySize?: unknown;
  } | null;
  response?: { status?: unknown; headers?: unknown; cookies?: unknown };
}
interface Har {
  log: { entries: HarEntry[]; pages?: Array<{ title?: unknown }> };
}

export interface ImportHarOptions {
  cwd?: string;
  /** The scenario's name (default: the first page's title, else the file name). */
  name?: string;
}

/** @throws SortieError INVALID_INPUT for a file that is not a HAR log (with the line, column and JSON path of the problem). */
export async function importHar(file: string, options: ImportHarOptions = {}): Promise<ImportResult> {
  const cwd = options.cwd ?? process.cwd();
  const path = resolve(cwd, file);
  const shown = relative(cwd, path) || path;
  const bytes = await readRegularFile(path).catch((error: unknown) => {
    throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read ${shown}: ${fileReadReason(error)}`, {
      location: { file: shown },
    });
  });
  // HAR is UTF-8 JSON (HAR 1.2, RFC 8259 §8.1): other bytes would be read as U+FFFD and replayed so.
  checkUtf8(bytes, shown, 'Invalid HAR file');
  checkUtf8Text(bytes, shown, 'Invalid HAR file');
  const text = bytes.toString('utf8');
  const outcome = parseJsonSource(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, shown);
  if (!('parsed' in outcome)) {
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid HAR file', `${shown} is not valid JSON`, {
      location: { file: shown },
      details: outcome.errors,
    });
  }
  const { data, locate } = outcome.parsed;
  const problem = (where: Array<string | number>, message: string) =>
    new SortieError(ErrorCode.INVALID_INPUT, 'Invalid HAR file', `${shown} is not a HAR log`, {
      location: { file: shown },
      details: [new SortieError(ErrorCode.INVALID_INPUT, 'Invalid HAR file', message, { location: locate(where) })],
    });
  const har = data as Partial<Har>;
  if (har === null || typeof har !== 'object' || typeof har.log !== 'object' || har.log === null)
    throw problem([], 'expected an object with a "log" (HAR 1.2)');
  if (!Array.isArray(har.log.entries)) throw problem(['log'], 'expected "entries", the list of requests');
  const throwProblem = (where: Array<string | number>, message: string): never => {
    throw problem(where, message);
  };
  // headers, cookies, params: lists of { name, value }; a value that is missing is empty.
  const namedValues = (list: unknown, where: Array<string | number>): Array<{ name: string; value: string }> =>
    (Array.isArray(list) || list === undefined || list === null
      ? (list ?? [])
      : throwProblem(where, 'expected a list of { "name", "value" }')
    ).map((item: unknown, index) => {
      const pair = item as { name?: unknown; value?: unknown } | null;
      if (pair === null || typeof pair !== 'object' || typeof pair.name !== 'string')
        throw problem([...where, index], 'expected an object with a "name" string and a "value"');
      return { name: pair.name, value: pair.value === undefined || pair.value === null ? '' : String(pair.value) };
    });
  // A browser's capture holds data:, blob: and extension URLs too: they are not requests to an API.
  const skipped: string[] = [];
  const responseCookies = new RecordedCookies();
  /** Cookie names left to the run's cookie jar, for the note. */
  const toJar = new Set<string>();
  /** Session cookie name → the entry (from 1) that first sent it, when no recorded response set it before. */
  const setBefore = new Map<string, number>();
  const requests = har.log.entries.flatMap((entry: HarEntry, index): CapturedRequest[] => {
    const at = ['log', 'entries', index, 'request'];
    const request = entry?.request;
    if (request === null || typeof request !== 'object') throw problem(['log', 'entries', index], 'expected a "request" object');
    if (typeof request.method !== 'string' || request.method === '')
      throw problem(['log', 'entries', index, 'request'], 'expected "method", a string');
    if (typeof request.url !== 'string' || !URL.canParse(request.url)) {
      throw problem(['log', 'entries', index, 'request', 'url'], 'expected "url", an absolute URL');
    }
    const protocol = new URL(request.url).protocol;
    if (protocol !== 'http:' && protocol !== 'https:') {
      skipped.push(`entry ${index + 1} (a ${protocol} URL) is not imported: Sortie sends http: and https: requests`);
      return [];
    }
    const captured: CapturedRequest = {
      method: request.method,
      url: request.url,
      headers: namedValues(request.headers, [...at, 'headers']).map(({ name, value }) => [name, value]),
    };
    const cookies = namedValues(request.cookies, [...at, 'cookies']);
    if (!captured.headers.some(([name]) => name.toLowerCase() === 'cookie') && cookies.length > 0) {
      captured.headers.push(['Cookie', cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ')]);
    }
    captured.headers = leaveToJar(captured.headers, (name) => responseCookies.has(request.url as string, name), toJar);
    for (const cookie of sentCookies(captured.headers))
      if (isSessionCookie(cookie) && !setBefore.has(cookie)) setBefore.set(cookie, index + 1);
    responseCookies.record(request.url, entry.response?.headers, entry.response?.cookies);
    const post = request.postData;
    if (post !== undefined && post !== null) {
      captured.body = { mimeType: post.mimeType };
      if (typeof post.text === 'string') captured.body.text = post.text;
      // Some tools record a binary body as base64 with an "encoding" (as HAR 1.2 §content does for responses).
      if (typeof post.text === 'string' && post.encoding === 'base64') {
        const bytes = Buffer.from(post.text, 'base64');
        try {
          captured.body.text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          delete captured.body.text;
          skipped.push(
            `entry ${index + 1} (${request.method} ${new URL(request.url).pathname}) has a binary body of ${bytes.length} bytes: the step sends none; save it to a file and set body.file`,
          );
        }
      }
      const params = namedValues(post.params, [...at, 'postData', 'params']);
      if (/^multipart\/form-data/i.test(post.mimeType ?? '') && params.length > 0) {
        // A multipart form's params (Firefox): a file part has a fileName, and its content is not recorded.
        const raw = post.params as Array<{ fileName?: unknown; contentType?: unknown }>;
        captured.body.parts = params.map(({ name, value }, n) => {
          const fileName = raw[n]?.fileName;
          const contentType = raw[n]?.contentType;
          return {
            name,
            value,
            ...(typeof fileName === 'string' ? { filename: fileName } : {}),
            ...(typeof contentType === 'string' && contentType !== '' ? { contentType } : {}),
          };
        });
      } else if (params.length > 0) captured.body.params = params;
    }
    // A browser leaves out a body it cannot show as text (a file upload, bytes): HAR 1.2 still gives its
    // size, or the request its Content-Type. The step sends none (and no Content-Type whose multipart
    // boundary names no body), and the notes say so.
    const recorded = typeof captured.body?.text === 'string' && captured.body.text !== '';
    const noted = post?.encoding === 'base64'; // a base64 body that is not text: named above already
    if (!recorded && !noted && captured.body?.parts === undefined && captured.body?.params === undefined) {
      const size = typeof request.bodySize === 'number' && request.bodySize > 0 ? request.bodySize : 0;
      const contentType = captured.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
      if (size > 0 || (post == null && contentType !== undefined)) {
        captured.body = { mimeType: post?.mimeType ?? contentType ?? '' };
        skipped.push(
          `entry ${index + 1} (${request.method} ${new URL(request.url).pathname}) sent a body${size > 0 ? ` of ${size} bytes` : ''} that the HAR file does not hold: the step sends none; save it to a file and set body.file`,
        );
      }
    }
    const status = entry.response?.status;
    if (typeof status === 'number') captured.status = status;
    else if (status !== undefined && status !== null)
      throw problem(['log', 'entries', index, 'response', 'status'], 'expected "status", a number (the recorded status code)');
    return [captured];
  });
  if (toJar.size > 0) {
    const names = [...toJar].map((name) => `"${name}"`).join(', ');
    skipped.push(
      `the cookie${toJar.size === 1 ? '' : 's'} ${names} that a recorded response set ${toJar.size === 1 ? 'is' : 'are'} left to the run's cookie jar: the replayed response sets ${toJar.size === 1 ? 'it' : 'them'} afresh`,
    );
  }
  // A session begun before the recording (its sign-in not recorded): the run needs a current value of the cookie.
  for (const [cookie, entry] of setBefore) {
    skipped.push(
      `the session cookie "${cookie}" (sent from entry ${entry} on) was set before the recording began: set ${secretName('cookie', cookie)} to the value of a current session (the browser's developer tools, Application → Cookies, once signed in), or record the sign-in too and import again: the run's cookie jar then gets it afresh`,
    );
  }
  const title = har.log.pages?.[0]?.title;
  const name = options.name ?? (typeof title === 'string' && title !== '' ? title : basename(path).replace(/\.har$/i, ''));
  const result = importCapturedRequests(requests, { name, file: basename(path).replace(/\.(har|json)$/i, '') });
  const imported = { ...result, input: { file: shown } };
  return skipped.length === 0 ? imported : { ...imported, notes: [...skipped, ...result.notes] };
}

/** The names of the cookies a request's Cookie headers send. */
function sentCookies(headers: ReadonlyArray<[string, string]>): string[] {
  return headers
    .filter(([name]) => name.toLowerCase() === 'cookie')
    .flatMap(([, value]) => value.split(/;\s*/))
    .map((pair) => (pair.includes('=') ? pair.slice(0, pair.indexOf('=')).trim() : ''))
    .filter((name) => name !== '');
}

/** The headers without the cookies `fromJar` names (a Cookie header left empty is dropped); their names go to `left`. */
function leaveToJar(headers: Array<[string, string]>, fromJar: (name: string) => boolean, left: Set<string>): Array<[string, string]> {
  const kept: Array<[string, string]> = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'cookie') {
      kept.push([name, value]);
      continue;
    }
    const pairs = value.split(/;\s*/).filter((pair) => {
      const at = pair.indexOf('=');
      const cookie = (at === -1 ? pair : pair.slice(0, at)).trim();
      if (cookie === '' || !fromJar(cookie)) return pair !== '';
      left.add(cookie);
      return false;
    });
    if (pairs.length > 0) kept.push([name, pairs.join('; ')]);
  }
  return kept;
}
