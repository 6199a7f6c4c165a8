/**
 * Content types implied by body kinds (by file extension: guessMediaType in @sortie/core).
 */

/** Content types of the body kinds. */
export const CONTENT_TYPES = {
  json: 'application/json',
  text: 'text/plain;charset=utf-8',
  form: 'application/x-www-form-urlencoded',
  xml: 'application/xml',
  binary: 'application/octet-stream',
} as const;
