/**
 * A Postman URL (a string, or `{ raw, protocol, host, path, query, variable }`) as the one URL string
 * Newman sends: disabled query parameters left out, `:name` path variables replaced by their values.
 * The Postman collection SDK does the reading, as in Newman.
 */
import sdk from 'postman-collection';
import type { PmUrlObject } from './collection-types.js';

/** The URL of a request as a Sortie template (the `{{…}}` left for the run to render). */
export function convertUrl(url: string | PmUrlObject | undefined): string {
  if (url === undefined) return '';
  if (typeof url === 'string') return url;
  const hasParts = url.host !== undefined || url.path !== undefined;
  if (!hasParts) return url.raw ?? '';
  // The SDK reads the parts (as Newman does); `raw` only when there are none.
  const parsed = new sdk.Url(url as ConstructorParameters<typeof sdk.Url>[0]);
  return parsed.toString();
}
