/**
 * Content types implied by body kinds and file extensions.
 */
import { extname } from 'node:path';

/** Content types of the body kinds. */
export const CONTENT_TYPES = {
  json: 'application/json',
  text: 'text/plain;charset=utf-8',
  form: 'application/x-www-form-urlencoded',
  xml: 'application/xml',
  binary: 'application/octet-stream',
} as const;

const BY_EXTENSION: ReadonlyMap<string, string> = new Map([
  ['.json', 'application/json'],
  ['.txt', 'text/plain'],
  ['.csv', 'text/csv'],
  ['.html', 'text/html'],
  ['.htm', 'text/html'],
  ['.xml', 'application/xml'],
  ['.yaml', 'application/yaml'],
  ['.yml', 'application/yaml'],
  ['.pdf', 'application/pdf'],
  ['.zip', 'application/zip'],
  ['.gz', 'application/gzip'],
  ['.png', 'image/png'],
  ['.jpg', 'image/jpeg'],
  ['.jpeg', 'image/jpeg'],
  ['.gif', 'image/gif'],
  ['.webp', 'image/webp'],
  ['.svg', 'image/svg+xml'],
]);

/** Guesses a file's media type from its extension; `application/octet-stream` when unknown. */
export function guessMediaType(path: string): string {
  return BY_EXTENSION.get(extname(path).toLowerCase()) ?? CONTENT_TYPES.binary;
}
