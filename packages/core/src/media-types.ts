/**
 * File extensions → media types: what a file body or a multipart file part is sent as when nothing
 * names its type (the HTTP client and the Postman converter share it).
 */
import { extname } from 'node:path';

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
  return BY_EXTENSION.get(extname(path).toLowerCase()) ?? 'application/octet-stream';
}
