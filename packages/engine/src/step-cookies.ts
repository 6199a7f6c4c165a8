/**
 * The jar's cookies a request step's `post` sees (the `cookie` selector after the response's own Set-Cookie,
 * `pm.cookies`): those for the final URL, after redirects, then those for the request URL of names not already
 * there. A session a redirect hop set on another host (an identity provider's login redirecting to the app's
 * callback, which sets it, then to its home page) was not found: the jar was read for the request URL only.
 */
import type { HttpResponse } from '@sortie/core';
import type { HttpClient } from '@sortie/http';

export async function readStepCookies(http: HttpClient, requestUrl: string, response: HttpResponse): Promise<Record<string, string>> {
  const final = await http.cookiesFor(response.url);
  if (response.url === requestUrl) return final;
  const first = Object.entries(await http.cookiesFor(requestUrl)).filter(([name]) => !Object.hasOwn(final, name));
  return first.length === 0 ? final : Object.fromEntries([...Object.entries(final), ...first]);
}
