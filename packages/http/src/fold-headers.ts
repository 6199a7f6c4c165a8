/**
 * Folding repeated request headers into one field, for dispatchers that keep headers in an object
 * (undici's ProxyAgent turns the header list into an object, so a repeated name would keep only its last value).
 */
import type { Dispatcher } from 'undici';

/**
 * Joins the values of a repeated header name in order: `; ` for Cookie (RFC 6265 §5.4), `, ` for every
 * other field (RFC 9110 §5.3). A list without repeats is returned as is.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.3
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-5.4
 */
export function foldRepeatedHeaders(headers: string[]): string[] {
  const firstAt = new Map<string, number>();
  let folded: string[] | undefined;
  for (let i = 0; i < headers.length; i += 2) {
    const lower = headers[i]!.toLowerCase();
    const at = firstAt.get(lower);
    if (at === undefined) {
      firstAt.set(lower, folded === undefined ? i : folded.length);
      folded?.push(headers[i]!, headers[i + 1]!);
      continue;
    }
    folded ??= headers.slice(0, i);
    folded[at + 1] += (lower === 'cookie' ? '; ' : ', ') + headers[i + 1]!;
  }
  return folded ?? headers;
}

/** Creates an interceptor that folds repeated request headers ({@link foldRepeatedHeaders}) of list-form headers. */
export function createHeaderFoldInterceptor(): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) =>
    function headerFoldInterceptor(options, handler) {
      const { headers } = options;
      if (!Array.isArray(headers)) return dispatch(options, handler);
      const folded = foldRepeatedHeaders(headers as string[]);
      return dispatch(folded === headers ? options : { ...options, headers: folded }, handler);
    };
}
