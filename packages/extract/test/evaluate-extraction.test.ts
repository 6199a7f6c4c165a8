import { ErrorCode, type Extraction, ExtractionSchema } from '@sortie/core';
import { catchError } from '@sortie/testkit';
import { describe, expect, it } from 'vitest';
import { evaluateExtraction } from '../src/index.js';
import { makeContext, makeJsonResponse, makeResponse } from './make-response.js';

function extraction(value: unknown): Extraction {
  return ExtractionSchema.parse(value);
}

const response = makeResponse({
  status: 202,
  total: 31,
  headers: [
    ['Content-Type', 'application/json'],
    ['Location', '/jobs/17'],
    ['Set-Cookie', 'sid=s-1; HttpOnly'],
  ],
  body: JSON.stringify({ token: 't-1', jobs: [{ id: 17 }, { id: 18 }], empty: [] }),
});
const ctx = makeContext(response, { user: 'ada' });

describe('evaluateExtraction', () => {
  it('extracts from every selector', () => {
    expect(evaluateExtraction(extraction({ var: 'v', status: true }), ctx)).toBe(202);
    expect(evaluateExtraction(extraction({ var: 'v', responseTime: true }), ctx)).toBe(31);
    expect(evaluateExtraction(extraction({ var: 'v', header: 'location' }), ctx)).toBe('/jobs/17');
    expect(evaluateExtraction(extraction({ var: 'v', cookie: 'sid' }), ctx)).toBe('s-1');
    expect(evaluateExtraction(extraction({ var: 'v', jsonpath: '$.token' }), ctx)).toBe('t-1');
    expect(evaluateExtraction(extraction({ var: 'v', regex: '"token":"([^"]+)"' }), ctx)).toBe('t-1');
    expect(evaluateExtraction(extraction({ var: 'v', variable: 'user' }), ctx)).toBe('ada');
    expect(evaluateExtraction(extraction({ var: 'v', body: true }), ctx)).toContain('"token":"t-1"');
  });

  it('gives every JSONPath match as an array with all, and the match of an indefinite path as an array', () => {
    expect(evaluateExtraction(extraction({ var: 'v', jsonpath: '$.jobs[0].id', all: true }), ctx)).toEqual([17]);
    expect(evaluateExtraction(extraction({ var: 'v', jsonpath: '$.jobs[*].id' }), ctx)).toEqual([17, 18]);
  });

  it('extracts regex groups and flags', () => {
    const text = makeContext(makeResponse({ body: 'Order: A-17' }));
    expect(evaluateExtraction(extraction({ var: 'v', regex: 'order: (\\w)-(\\d+)', flags: 'i', group: 2 }), text)).toBe('17');
  });

  it('extracts from a SOAP body with namespaces, one or all nodes', () => {
    const soap = makeContext(
      makeResponse({
        body:
          '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><r:Ids xmlns:r="urn:ids">' +
          '<r:Id>a</r:Id><r:Id>b</r:Id></r:Ids></s:Body></s:Envelope>',
      }),
    );
    const namespaces = { s: 'http://schemas.xmlsoap.org/soap/envelope/', r: 'urn:ids' };
    expect(evaluateExtraction(extraction({ var: 'v', xpath: '/s:Envelope/s:Body/r:Ids/r:Id', namespaces }), soap)).toBe('a');
    expect(evaluateExtraction(extraction({ var: 'v', xpath: '//r:Id', namespaces, all: true }), soap)).toEqual(['a', 'b']);
    expect(evaluateExtraction(extraction({ var: 'v', xpath: 'count(//r:Id)', namespaces }), soap)).toBe(2);
  });

  it('returns the default when nothing is found', () => {
    expect(evaluateExtraction(extraction({ var: 'v', jsonpath: '$.missing', default: 'none' }), ctx)).toBe('none');
    expect(evaluateExtraction(extraction({ var: 'v', header: 'x-missing', default: 0 }), ctx)).toBe(0);
    expect(evaluateExtraction(extraction({ var: 'v', jsonpath: '$.empty[*]', default: [] }), ctx)).toEqual([]);
  });

  it('keeps a found null or empty value instead of the default', () => {
    const nulls = makeContext(makeJsonResponse({ a: null, s: '' }));
    expect(evaluateExtraction(extraction({ var: 'v', jsonpath: '$.a', default: 'd' }), nulls)).toBeNull();
    expect(evaluateExtraction(extraction({ var: 'v', jsonpath: '$.s', default: 'd' }), nulls)).toBe('');
  });

  it('throws a SELECTOR error naming the selector and the variable when nothing is found without a default', () => {
    const error = catchError(() => evaluateExtraction(extraction({ var: 'jobId', jsonpath: '$.job.id' }), ctx));
    expect(error.code).toBe(ErrorCode.SELECTOR);
    expect(error.message).toBe('jsonpath $.job.id not found (extracting "jobId")');
    expect(catchError(() => evaluateExtraction(extraction({ var: 'v', cookie: 'nope' }), ctx)).code).toBe(ErrorCode.SELECTOR);
  });

  it('throws a SELECTOR error when the body is not JSON, even with a default', () => {
    const html = makeContext(makeResponse({ headers: [['content-type', 'text/html']], body: '<html></html>' }));
    const error = catchError(() => evaluateExtraction(extraction({ var: 'v', jsonpath: '$.id', default: 1 }), html));
    expect(error.code).toBe(ErrorCode.SELECTOR);
    expect(error.title).toBe('Body is not JSON');
  });

  it('throws a SELECTOR error for an invalid JSONPath, XPath or regex, and for malformed XML', () => {
    const xml = makeContext(makeResponse({ body: '<a>' }));
    for (const [value, context] of [
      [{ var: 'v', jsonpath: '$.jobs[?(@.id >)]' }, ctx],
      [{ var: 'v', xpath: '//[' }, makeContext(makeResponse({ body: '<a/>' }))],
      [{ var: 'v', regex: '[' }, ctx],
      [{ var: 'v', xpath: '/a' }, xml],
    ] as const) {
      expect(catchError(() => evaluateExtraction(extraction(value), context)).code).toBe(ErrorCode.SELECTOR);
    }
  });

  it('throws a SELECTOR error for a response selector when there is no response', () => {
    expect(catchError(() => evaluateExtraction(extraction({ var: 'v', status: true }), makeContext())).code).toBe(ErrorCode.SELECTOR);
  });
});
