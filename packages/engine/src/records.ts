import {
  getHeader,
  type HeaderList,
  type HttpResponse,
  type PreparedRequest,
  type Redactor,
  type RequestRecord,
  type ResponseRecord,
  redactUserinfo,
} from '@sortie/core';
import { previewBody } from './body-preview.js';

/** The content type a content-coded request body is previewed as: bytes. */
const CODED = 'application/octet-stream';

/** The report form of a sent request: credentials hidden, secrets redacted, body cut at `limit`. */
export function recordRequest(request: PreparedRequest, limit: number, redactor: Redactor): RequestRecord {
  const record: RequestRecord = {
    method: request.method,
    url: redactor.redact(redactUserinfo(request.url)),
    headers: redactHeaders(request.headers, redactor),
    bodySize: request.body === undefined ? 0 : typeof request.body === 'string' ? Buffer.byteLength(request.body) : request.body.byteLength,
  };
  // A body sent content-coded (`Content-Encoding: gzip`, RFC 9110 §8.4) is bytes, whatever its Content-Type:
  // read as text it was mojibake (U+FFFD for every byte past ASCII); the report keeps the bytes, as base64.
  const coding = getHeader(request.headers, 'content-encoding')?.trim().toLowerCase();
  const contentType = coding === undefined || coding === '' || coding === 'identity' ? getHeader(request.headers, 'content-type') : CODED;
  const body = previewBody(request.body, contentType, limit, redactor);
  if (body !== undefined) record.body = body;
  return record;
}

/** The report form of a response. */
export function recordResponse(response: HttpResponse, limit: number, redactor: Redactor): ResponseRecord {
  const record: ResponseRecord = {
    status: response.status,
    statusText: redactor.redact(response.statusText),
    httpVersion: response.httpVersion,
    headers: redactHeaders(response.headers, redactor),
    bodySize: response.body.byteLength,
    encodedBodySize: response.encodedBodySize,
    timings: response.timings,
  };
  const body = previewBody(response.body, getHeader(response.headers, 'content-type'), limit, redactor);
  if (body !== undefined) record.body = body;
  if (response.redirects.length > 0) record.redirects = response.redirects.map((u) => redactor.redact(redactUserinfo(u)));
  return record;
}

function redactHeaders(headers: HeaderList, redactor: Redactor): HeaderList {
  // A name too: a server may echo what it was sent into one (`x-seen-<token>: 1`).
  return headers.map(([name, value]) => [redactor.redact(name), redactor.redactHeader(name, value)]);
}
