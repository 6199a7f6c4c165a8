/**
 * Serialising an already-templated scenario body into bytes and a content type.
 */
import type { Body } from '@sortie/core';
import { encodeMultipart, withMultipartBoundary } from './encode-multipart.js';
import { fieldText } from './field-text.js';
import { CONTENT_TYPES } from './media-types.js';
import { type BodyFiles, readBodyFile } from './read-body-file.js';

/** Options of {@link encodeBody}. */
export interface EncodeBodyOptions {
  /** Directory that file paths (file body, multipart files) are relative to, usually the scenario's directory. */
  baseDir: string;
  /** Body files a run plan carries, by absolute path; others are read from disk. */
  files?: BodyFiles;
}

/** A serialised body. */
export interface EncodedBody {
  body?: Uint8Array | string;
  contentType?: string;
}

/**
 * Serialises a body: `json` (application/json), `text` (text/plain;charset=utf-8), `form`
 * (application/x-www-form-urlencoded as Newman encodes it, arrays repeat the key), `multipart` (multipart/form-data with a boundary),
 * `file` (raw bytes, application/octet-stream), `xml` (application/xml, sent byte for byte, so SOAP envelopes
 * keep their declaration and namespaces) or `graphql` (the GraphQL-over-HTTP POST body, application/json).
 * `body.contentType` overrides the implied type (e.g. `application/soap+xml; charset=utf-8; action="urn:x"` for
 * SOAP 1.2). A missing file is a FILE_NOT_FOUND SortieError naming the path.
 *
 * @see https://graphql.github.io/graphql-over-http/draft/#sec-POST
 * @see https://www.w3.org/TR/soap12-part2/#ietf-draft
 * @see https://url.spec.whatwg.org/#application/x-www-form-urlencoded
 * @see https://www.rfc-editor.org/rfc/rfc7578
 */
export async function encodeBody(body: Body, options: EncodeBodyOptions): Promise<EncodedBody> {
  const encoded = await encodeBodyContent(body, options.baseDir, options.files);
  if (body.contentType !== undefined) encoded.contentType = writtenContentType(body.contentType, body, encoded);
  return encoded;
}

/**
 * The content type to send when the scenario wrote one (the body's `contentType`, or a `Content-Type` header):
 * as written, with the multipart body's boundary added to a multipart type that has none.
 */
export function writtenContentType(written: string, body: Body, encoded: EncodedBody): string {
  return body.multipart !== undefined && encoded.contentType !== undefined ? withMultipartBoundary(written, encoded.contentType) : written;
}

async function encodeBodyContent(body: Body, baseDir: string, files: BodyFiles | undefined): Promise<EncodedBody> {
  if (body.json !== undefined) return { body: JSON.stringify(body.json), contentType: CONTENT_TYPES.json };
  if (body.text !== undefined) return { body: body.text, contentType: CONTENT_TYPES.text };
  if (body.xml !== undefined) return { body: body.xml, contentType: CONTENT_TYPES.xml };
  if (body.graphql !== undefined) return { body: encodeGraphql(body.graphql), contentType: CONTENT_TYPES.json };
  if (body.form !== undefined) return { body: encodeForm(body.form), contentType: CONTENT_TYPES.form };
  if (body.multipart !== undefined) return encodeMultipart(body.multipart, baseDir, files);
  if (body.file !== undefined) return { body: await readBodyFile(body.file, baseDir, files), contentType: CONTENT_TYPES.binary };
  return {};
}

/**
 * The fields in order as `name=value` pairs joined by `&`, each name and value percent-encoded as Postman and
 * Newman encode a urlencoded body: everything but the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`),
 * so a space is `%20` (not the WHATWG serializer's `+`) and `!'()*` are escaped too. A lone surrogate becomes
 * U+FFFD, where encodeURIComponent would throw.
 *
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-2.3
 */
function encodeForm(form: NonNullable<Body['form']>): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(form)) {
    for (const item of Array.isArray(value) ? value : [value])
      pairs.push(`${encodeFormComponent(name)}=${encodeFormComponent(fieldText(item))}`);
  }
  return pairs.join('&');
}

/** `String.prototype.toWellFormed` (ES2024, Node 20): each lone surrogate becomes U+FFFD. */
type WellFormable = string & { toWellFormed(): string };

function encodeFormComponent(text: string): string {
  return encodeURIComponent((text as WellFormable).toWellFormed()).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The GraphQL request as JSON: `query`, then `variables` and `operationName` when given (absent members are
 * left out rather than sent as null).
 *
 * @see https://graphql.github.io/graphql-over-http/draft/#sec-Request-Parameters
 */
function encodeGraphql(graphql: NonNullable<Body['graphql']>): string {
  const request: { query: string; variables?: Record<string, unknown>; operationName?: string } = { query: graphql.query };
  if (graphql.variables !== undefined) request.variables = graphql.variables;
  if (graphql.operationName !== undefined) request.operationName = graphql.operationName;
  return JSON.stringify(request);
}
