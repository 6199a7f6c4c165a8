/**
 * The Netscape cookie file format that curl, wget and Hurl read and write (`--cookie-jar`,
 * `--export-cookie-jar`): one cookie per line, seven TAB-separated fields —
 * domain, include subdomains (TRUE/FALSE), path, secure (TRUE/FALSE), expiry (Unix seconds, 0 for a
 * session cookie), name, value. A `#HttpOnly_` prefix on the domain marks an HttpOnly cookie; other
 * lines starting with `#`, and blank lines, are comments. No library of the field does this (tough-cookie
 * serialises to its own JSON), and the format is a few lines.
 *
 * @see https://curl.se/docs/http-cookies.html
 * @see https://everything.curl.dev/http/cookies/fileformat.html
 */
import { ErrorCode, SortieError, wrongArgument } from '@sortie/core';

/** One cookie of a cookie file. */
export interface CookieFileEntry {
  /** Host name, without a leading dot. */
  domain: string;
  /** Sent to subdomains too (a Domain cookie); false: host-only. */
  includeSubdomains: boolean;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  /** Expiry in Unix seconds; 0 for a session cookie. */
  expires: number;
  name: string;
  value: string;
}

const HTTP_ONLY_PREFIX = '#HttpOnly_';

/**
 * Parses a cookie file. A line that is not a comment and does not have seven fields is an error that
 * names the file and the line (a jar that silently loses cookies makes a run fail far from its cause).
 * @throws SortieError INVALID_INPUT
 */
export function parseCookieFile(text: string, file = 'cookies.txt'): CookieFileEntry[] {
  if (typeof text !== 'string') throw wrongArgument('parseCookieFile', 'text', "the cookie file's text (a string)", text);
  if (typeof file !== 'string') throw wrongArgument('parseCookieFile', 'file', 'a file name (a string)', file);
  const entries: CookieFileEntry[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    let line = raw;
    let httpOnly = false;
    if (line.startsWith(HTTP_ONLY_PREFIX)) {
      httpOnly = true;
      line = line.slice(HTTP_ONLY_PREFIX.length);
    } else if (line.trim() === '' || line.startsWith('#')) return;
    const fields = line.split('\t');
    const problem = (what: string) =>
      new SortieError(ErrorCode.INVALID_INPUT, 'Invalid cookie file', what, {
        hint: 'each line: domain, TRUE/FALSE, path, TRUE/FALSE, expiry (Unix seconds, 0 for a session cookie), name, value — separated by tabs',
        location: { file, line: index + 1, column: 1 },
      });
    if (fields.length !== 7) throw problem(`expected 7 tab-separated fields, found ${fields.length}`);
    const [domain, subdomains, path, secure, expires, name, value] = fields as [string, string, string, string, string, string, string];
    const flag = (field: string, what: string) => {
      if (field === 'TRUE') return true;
      if (field === 'FALSE') return false;
      throw problem(`${what} must be TRUE or FALSE, found "${field}"`);
    };
    const expiry = Number(expires);
    if (!Number.isSafeInteger(expiry) || expiry < 0)
      throw problem(`the expiry must be Unix seconds (0 for a session cookie), found "${expires}"`);
    if (domain === '' || name === '') throw problem('the domain and the name must not be empty');
    entries.push({
      domain: domain.replace(/^\./, ''),
      includeSubdomains: flag(subdomains, 'the subdomains field') || domain.startsWith('.'),
      path: path === '' ? '/' : path,
      secure: flag(secure, 'the secure field'),
      httpOnly,
      expires: expiry,
      name,
      value,
    });
  });
  return entries;
}

/** Writes a cookie file in the layout curl writes (a header, then one line per cookie). */
export function formatCookieFile(entries: readonly CookieFileEntry[]): string {
  const lines = ['# Netscape HTTP Cookie File', '# https://curl.se/docs/http-cookies.html', '# Written by Sortie.', ''];
  for (const entry of entries) {
    const domain = entry.includeSubdomains ? `.${entry.domain}` : entry.domain;
    lines.push(
      [
        `${entry.httpOnly ? HTTP_ONLY_PREFIX : ''}${domain}`,
        entry.includeSubdomains ? 'TRUE' : 'FALSE',
        entry.path,
        entry.secure ? 'TRUE' : 'FALSE',
        String(entry.expires),
        entry.name,
        entry.value,
      ].join('\t'),
    );
  }
  return `${lines.join('\n')}\n`;
}
