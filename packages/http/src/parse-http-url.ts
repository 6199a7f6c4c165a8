/**
 * The one check of a request URL: it must parse as an absolute URL and use http or https. The engine (a step's
 * URL), the shared client and the dedicated connection (NTLM) all call this, so the title and text of the error
 * are the same wherever a URL is refused.
 * @see https://url.spec.whatwg.org/#concept-basic-url-parser
 */
import { ErrorCode, redactUserinfo, SortieError } from '@sortie/core';

/**
 * Parses `url` and checks that its scheme is http or https. The messages never carry userinfo: a password in
 * a URL must not reach a report.
 * @throws SortieError `SORTIE_INVALID_INPUT`, title `Invalid URL` or `Unsupported URL scheme`.
 */
export function parseHttpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid URL', `"${redactUserinfo(url)}" is not a valid URL`, { cause: error });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SortieError(
      ErrorCode.INVALID_INPUT,
      'Unsupported URL scheme',
      `"${parsed.protocol}" is not supported; use http or https (${redactUserinfo(url)})`,
    );
  }
  return parsed;
}
