/**
 * Per-response caches: the body is decoded to text, parsed as JSON and parsed as XML at most once
 * per HttpResponse object, however many assertions and extractions read it.
 */

import { decodeBodyText, decodeXmlText, ErrorCode, findInexactNumbers, getHeader, type HttpResponse, SortieError } from '@sortie/core';
import type { Document as XmlDocument } from '@xmldom/xmldom';
import { getXmlModules } from './lazy-modules.js';

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const texts = new WeakMap<HttpResponse, string>();
const jsonBodies = new WeakMap<HttpResponse, Parsed<unknown>>();
const xmlBodies = new WeakMap<HttpResponse, Parsed<XmlDocument>>();
const inexactNumbers = new WeakMap<HttpResponse, ReadonlySet<number>>();

/** The body of `response` as text, in the charset its Content-Type names, else UTF-8 (decoded once). */
export function getBodyText(response: HttpResponse): string {
  let text = texts.get(response);
  if (text === undefined) {
    text = decodeBodyText(response.body, getHeader(response.headers, 'content-type'));
    texts.set(response, text);
  }
  return text;
}

/** A short, secret-free description of the body for error messages: its content type and size. */
function describeBody(response: HttpResponse): string {
  const contentType = getHeader(response.headers, 'content-type');
  return `${contentType === undefined ? 'no content-type' : `content-type ${contentType}`}, ${response.body.byteLength} bytes`;
}

/**
 * The body of `response` parsed as JSON (parsed once).
 * @throws SortieError(SELECTOR) when the body is not JSON. The message never quotes the body.
 */
export function getJsonBody(response: HttpResponse): unknown {
  let parsed = jsonBodies.get(response);
  if (parsed === undefined) {
    try {
      parsed = { ok: true, value: JSON.parse(getBodyText(response)) };
    } catch {
      parsed = { ok: false, reason: `Body is not JSON (${describeBody(response)})` };
    }
    jsonBodies.set(response, parsed);
  }
  if (!parsed.ok) throw new SortieError(ErrorCode.SELECTOR, 'Body is not JSON', parsed.reason);
  return parsed.value;
}

/**
 * The values that numbers of the JSON body of `response` are read as though written with more digits
 * than a number keeps (`9007199254740993` read as 9007199254740992), found once. Call after getJsonBody.
 */
export function getInexactJsonNumbers(response: HttpResponse): ReadonlySet<number> {
  let found = inexactNumbers.get(response);
  if (found === undefined) {
    found = findInexactNumbers(getBodyText(response));
    inexactNumbers.set(response, found);
  }
  return found;
}

/**
 * The body of `response` parsed as an XML document (parsed once), read in the charset its
 * Content-Type names, else the encoding its XML declaration names. Any parser error or warning
 * about malformed markup counts as "not XML".
 * @throws SortieError(SELECTOR) when the body is not well-formed XML.
 */
export function getXmlBody(response: HttpResponse): XmlDocument {
  let parsed = xmlBodies.get(response);
  if (parsed === undefined) {
    try {
      const { DOMParser, onErrorStopParsing } = getXmlModules().xmldom;
      const text = decodeXmlText(response.body, getHeader(response.headers, 'content-type'));
      const document = new DOMParser({ onError: onErrorStopParsing }).parseFromString(text, 'text/xml');
      parsed = { ok: true, value: document };
    } catch (error) {
      const detail = error instanceof Error ? firstLine(error.message) : 'parse error';
      parsed = { ok: false, reason: `Body is not XML: ${detail} (${describeBody(response)})` };
    }
    xmlBodies.set(response, parsed);
  }
  if (!parsed.ok) throw new SortieError(ErrorCode.SELECTOR, 'Body is not XML', parsed.reason);
  return parsed.value;
}

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end === -1 ? text : text.slice(0, end);
}
