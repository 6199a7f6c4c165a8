import { ErrorCode } from '@sortie/core';
import { catchError } from '@sortie/testkit';
import { describe, expect, it } from 'vitest';
import { isDefinitePath, PATTERN_TIME_LIMIT_MS, select } from '../src/index.js';
import { makeContext, makeJsonResponse, makeResponse } from './make-response.js';

const order = {
  id: 'o-1',
  total: 42.5,
  note: null,
  items: [
    { id: 1, sku: 'A', price: 5 },
    { id: 2, sku: 'B', price: 15 },
  ],
  'x:y': 'colon key',
};

const SOAP = `<?xml version="1.0"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <m:GetPriceResponse xmlns:m="urn:example:prices" currency="EUR">
      <m:Price>1.90</m:Price>
      <m:Price>2.40</m:Price>
    </m:GetPriceResponse>
  </soap:Body>
</soap:Envelope>`;
const NS = { soap: 'http://schemas.xmlsoap.org/soap/envelope/', m: 'urn:example:prices' };

describe('status, responseTime, body and variable', () => {
  it('selects the status code as a number', () => {
    expect(select('status', {}, makeContext(makeResponse({ status: 404 })))).toEqual({ found: true, value: 404, description: 'status' });
  });

  it('selects the total response time in ms', () => {
    expect(select('responseTime', {}, makeContext(makeResponse({ total: 87 }))).value).toBe(87);
  });

  it('selects the body decoded as UTF-8 text', () => {
    expect(select('body', {}, makeContext(makeResponse({ body: 'héllo ✓' }))).value).toBe('héllo ✓');
  });

  it('selects a variable and reports unset ones as not found', () => {
    const ctx = makeContext(undefined, { token: 'abc', zero: 0 });
    expect(select('variable', { name: 'token' }, ctx)).toEqual({ found: true, value: 'abc', description: 'variable token' });
    expect(select('variable', { name: 'zero' }, ctx).found).toBe(true);
    expect(select('variable', { name: 'missing' }, ctx).found).toBe(false);
  });

  it('throws a SELECTOR error when a response selector runs without a response', () => {
    expect(catchError(() => select('status', {}, makeContext())).code).toBe(ErrorCode.SELECTOR);
  });
});

describe('header', () => {
  const response = makeResponse({
    headers: [
      ['Content-Type', 'text/html; charset=utf-8'],
      ['Vary', 'Accept'],
      ['vary', 'Origin'],
    ],
  });

  it('finds a header case-insensitively', () => {
    expect(select('header', { name: 'content-type' }, makeContext(response))).toEqual({
      found: true,
      value: 'text/html; charset=utf-8',
      description: 'header content-type',
    });
  });

  it('joins several values with ", "', () => {
    expect(select('header', { name: 'VARY' }, makeContext(response)).value).toBe('Accept, Origin');
  });

  it('reports a missing header as not found', () => {
    expect(select('header', { name: 'x-missing' }, makeContext(response)).found).toBe(false);
  });
});

describe('cookie', () => {
  const response = makeResponse({
    headers: [
      ['Set-Cookie', 'session=abc123; Path=/; HttpOnly'],
      ['set-cookie', 'theme = dark ; Max-Age=60'],
      ['Set-Cookie', 'session=def456; Path=/'],
      ['Set-Cookie', 'broken-no-equals'],
    ],
  });

  it('reads cookies from the Set-Cookie headers, the last one of a name winning', () => {
    expect(select('cookie', { name: 'session' }, makeContext(response)).value).toBe('def456');
    expect(select('cookie', { name: 'theme' }, makeContext(response)).value).toBe('dark');
    expect(select('cookie', { name: 'broken-no-equals' }, makeContext(response)).found).toBe(false);
  });

  it('finds no cookie that a Set-Cookie removes (a logout): Max-Age ≤ 0, else an Expires in the past (found as "" before)', () => {
    const logout = makeResponse({
      headers: [
        ['Set-Cookie', 'sid=abc; Path=/'],
        ['Set-Cookie', 'sid=; Path=/; Max-Age=0'],
        ['Set-Cookie', 'pref=; Expires=Thu, 01 Jan 1970 00:00:00 GMT'],
        ['Set-Cookie', 'old=1; Max-Age=-1; Expires=Fri, 01 Jan 2100 00:00:00 GMT'],
        ['Set-Cookie', 'kept=1; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT'],
        ['Set-Cookie', 'later=2; expires=Fri, 01 Jan 2100 00:00:00 GMT; max-age=soon'],
      ],
    });
    // With the jar on, a removed cookie is not in it: the response's Set-Cookie must not bring it back.
    for (const ctx of [makeContext(logout), makeContext(logout, {}, {})]) {
      for (const name of ['sid', 'pref', 'old']) expect(select('cookie', { name }, ctx).found, name).toBe(false);
      expect(select('cookie', { name: 'kept' }, ctx).value).toBe('1');
      expect(select('cookie', { name: 'later' }, ctx).value).toBe('2');
    }
  });

  it('reads the response’s own Set-Cookie first, then the cookie jar (a cookie a redirect hop or an earlier response set)', () => {
    const ctx = makeContext(response, {}, { session: 'from-jar', hop: 'from-hop' });
    expect(select('cookie', { name: 'session' }, ctx).value).toBe('def456');
    expect(select('cookie', { name: 'theme' }, ctx).value).toBe('dark');
    expect(select('cookie', { name: 'hop' }, ctx).value).toBe('from-hop');
    expect(select('cookie', { name: 'nowhere' }, ctx).found).toBe(false);
  });

  it('finds a cookie the response set under another Path, not an older one of its name that the jar holds for the URL', () => {
    // /login answered `sid=new; Path=/api` while the jar held `sid=old; Path=/`: the jar's cookies for /login are the old one.
    const login = makeResponse({ headers: [['Set-Cookie', 'sid=new; Path=/api; HttpOnly']] });
    expect(select('cookie', { name: 'sid' }, makeContext(login, {}, { sid: 'old' })).value).toBe('new');
  });
});

describe('jsonpath', () => {
  const ctx = makeContext(makeJsonResponse(order));

  it('gives the single match of a definite path', () => {
    expect(select('jsonpath', { path: '$.items[0].id' }, ctx)).toEqual({ found: true, value: 1, description: 'jsonpath $.items[0].id' });
    expect(select('jsonpath', { path: "$['x:y']" }, ctx).value).toBe('colon key');
  });

  it('finds a null value', () => {
    expect(select('jsonpath', { path: '$.note' }, ctx)).toMatchObject({ found: true, value: null });
  });

  it('gives every match of an indefinite path as an array', () => {
    expect(select('jsonpath', { path: '$.items[*].sku' }, ctx).value).toEqual(['A', 'B']);
    expect(select('jsonpath', { path: '$..price' }, ctx).value).toEqual([5, 15]);
    expect(select('jsonpath', { path: '$.items[?(@.price > 10)].id' }, ctx).value).toEqual([2]);
    expect(select('jsonpath', { path: '$.items[0,1].id' }, ctx).value).toEqual([1, 2]);
    expect(select('jsonpath', { path: '$.items[0:1].id' }, ctx).value).toEqual([1]);
  });

  it('selects a falsy root document with $', () => {
    expect(select('jsonpath', { path: '$' }, makeContext(makeResponse({ body: 'null' })))).toMatchObject({ found: true, value: null });
    expect(select('jsonpath', { path: '$', all: true }, makeContext(makeResponse({ body: '0' }))).value).toEqual([0]);
    expect(select('jsonpath', { path: '$.a' }, makeContext(makeResponse({ body: 'false' }))).found).toBe(false);
  });

  it('gives an array for a definite path with all', () => {
    expect(select('jsonpath', { path: '$.id', all: true }, ctx).value).toEqual(['o-1']);
  });

  it('reports no match as not found, for definite and indefinite paths', () => {
    expect(select('jsonpath', { path: '$.missing' }, ctx).found).toBe(false);
    expect(select('jsonpath', { path: '$.items[?(@.price > 100)].id' }, ctx).found).toBe(false);
  });

  it('throws a SELECTOR error when the body is not JSON, without quoting the body', () => {
    const error = catchError(() =>
      select(
        'jsonpath',
        { path: '$.id' },
        makeContext(makeResponse({ headers: [['content-type', 'text/html']], body: '<p>secret-42</p>' })),
      ),
    );
    expect(error.code).toBe(ErrorCode.SELECTOR);
    expect(error.message).toBe('Body is not JSON (content-type text/html, 16 bytes)');
  });

  it('throws a SELECTOR error for an expression it cannot evaluate', () => {
    expect(catchError(() => select('jsonpath', { path: '$.items[?(@.price >)]' }, ctx)).code).toBe(ErrorCode.SELECTOR);
    // jsonpath-plus fails on some text with a TypeError of its own; that message means nothing to a user.
    expect(catchError(() => select('jsonpath', { path: '&#0;' }, ctx)).message).toBe(
      'Cannot evaluate JSONPath &#0;: it is not a JSONPath expression (such as $.items[0].id)',
    );
  });

  it("reads RFC 9535's negative index: the element counted from the end, only in an array (not found before)", () => {
    expect(select('jsonpath', { path: '$.items[-1].sku' }, ctx)).toEqual({
      found: true,
      value: 'B',
      description: 'jsonpath $.items[-1].sku',
    });
    expect(select('jsonpath', { path: '$.items[ -2 ]' }, ctx).value).toEqual({ id: 1, sku: 'A', price: 5 });
    expect(select('jsonpath', { path: '$.items[-3]' }, ctx).found).toBe(false);
    expect(select('jsonpath', { path: '$.items[*].sku[-1]' }, ctx).found).toBe(false);
    expect(select('jsonpath', { path: '$.items[-1]', all: true }, ctx).value).toEqual([{ id: 2, sku: 'B', price: 15 }]);
    // A member named "-1" is written quoted, as before; an object has no index.
    const named = makeContext(makeJsonResponse({ '-1': 'minus one', o: { length: 2, 1: 'one' } }));
    expect(select('jsonpath', { path: "$['-1']" }, named).value).toBe('minus one');
    expect(select('jsonpath', { path: '$.o[-1]' }, named).found).toBe(false);
  });

  it("reads RFC 9535's filter without parentheses, and gives its matches as an array (not found before)", () => {
    expect(select('jsonpath', { path: '$.items[?@.price > 10].id' }, ctx).value).toEqual([2]);
    expect(select('jsonpath', { path: "$.items[? @.sku == 'A' || @.sku == 'B'].id" }, ctx).value).toEqual([1, 2]);
    expect(select('jsonpath', { path: "$.items[?@.sku == ']'].id" }, ctx).found).toBe(false);
    expect(select('jsonpath', { path: "$['x:y']" }, ctx).value).toBe('colon key');
  });

  it('reads a variable holding JSON text (from) as that JSON, and other text as it is (not found before)', () => {
    const ctx = makeContext(undefined, { whole: ' {"id": 7, "tags": ["a"]}', list: '[1,2]', plain: '{not json', word: 'abc', n: '12' });
    expect(select('jsonpath', { path: '$.id', from: 'whole' }, ctx)).toEqual({
      found: true,
      value: 7,
      description: 'jsonpath $.id of whole',
    });
    expect(select('jsonpath', { path: '$[-1]', from: 'list' }, ctx).value).toBe(2);
    expect(select('jsonpath', { path: '$', from: 'plain' }, ctx).value).toBe('{not json');
    expect(select('jsonpath', { path: '$', from: 'word' }, ctx).value).toBe('abc');
    expect(select('jsonpath', { path: '$', from: 'n' }, ctx).value).toBe('12');
  });

  it('reads any quoted name literally: JSON-LD @type and @id, ^, ], quotes, * and commas in names (an error or nothing before)', () => {
    const body = {
      '@context': 'https://schema.org',
      '@type': 'Person',
      member: [{ '@id': '/people/1' }, { '@id': '/people/2' }],
      'x^': 'caret',
      'a]b': 'bracket',
      "it's": 'quote',
      '*': 'star',
      'a,b': 'comma',
      '': 'empty',
      'a.b': 'dot',
      plain: 'p',
    };
    const ld = makeContext(makeJsonResponse(body));
    const value = (path: string) => select('jsonpath', { path }, ld).value;
    expect(value("$['@type']")).toBe('Person');
    expect(value('$["@context"]')).toBe('https://schema.org');
    expect(value('$.@type')).toBe('Person');
    expect(value('$.member[1].@id')).toBe('/people/2');
    expect(value("$.member[*]['@id']")).toEqual(['/people/1', '/people/2']);
    expect(value("$..['@id']")).toEqual(['/people/1', '/people/2']);
    expect(value("$['x^']")).toBe('caret');
    expect(value("$['a]b']")).toBe('bracket');
    expect(value('$["it\'s"]')).toBe('quote');
    expect(value("$['it\\'s']")).toBe('quote');
    expect(value("$['*']")).toBe('star');
    expect(value("$['a,b']")).toBe('comma');
    expect(value("$['']")).toBe('empty');
    expect(value("$['a.b']")).toBe('dot');
    expect(value("$['pl\\u0061in']")).toBe('p');
    expect(select('jsonpath', { path: "$['@nope']" }, ld).found).toBe(false);
    // A name on an array selects nothing (RFC 9535), an index still does.
    expect(select('jsonpath', { path: "$.member['@id']" }, ld).found).toBe(false);
  });

  it('tells definite paths from indefinite ones', () => {
    expect(isDefinitePath('$.a.b[0]')).toBe(true);
    expect(isDefinitePath("$['x:y']")).toBe(true);
    expect(isDefinitePath('$.a[-1]')).toBe(true);
    for (const path of ['$.a[*]', '$..b', '$.a[?(@.x)]', '$.a[?@.x]', '$.a[0,1]', '$.a[1:]']) expect(isDefinitePath(path)).toBe(false);
  });
});

describe('xpath', () => {
  const ctx = makeContext(makeResponse({ headers: [['content-type', 'text/xml']], body: SOAP }));

  it('selects the text of the first node in a SOAP envelope using namespace prefixes', () => {
    expect(select('xpath', { path: '/soap:Envelope/soap:Body/m:GetPriceResponse/m:Price', namespaces: NS }, ctx)).toEqual({
      found: true,
      value: '1.90',
      description: 'xpath /soap:Envelope/soap:Body/m:GetPriceResponse/m:Price',
    });
  });

  it('selects an attribute value', () => {
    expect(select('xpath', { path: '//m:GetPriceResponse/@currency', namespaces: NS }, ctx).value).toBe('EUR');
  });

  it('gives the texts of every node with all', () => {
    expect(select('xpath', { path: '//m:Price', namespaces: NS, all: true }, ctx).value).toEqual(['1.90', '2.40']);
  });

  it('gives the number, string or boolean of a non-node expression', () => {
    expect(select('xpath', { path: 'count(//m:Price)', namespaces: NS }, ctx).value).toBe(2);
    expect(select('xpath', { path: 'string(//m:GetPriceResponse/@currency)', namespaces: NS }, ctx).value).toBe('EUR');
    expect(select('xpath', { path: '//m:Price = "2.40"', namespaces: NS }, ctx).value).toBe(true);
  });

  it('gives the text of the whole document for the root node / (empty before)', () => {
    const plain = makeContext(makeResponse({ body: '<?xml version="1.0"?><user id="7"><name>Ada</name> <role>admin</role></user>' }));
    expect(select('xpath', { path: '/' }, plain).value).toBe('Ada admin');
    expect(select('xpath', { path: 'string(/)' }, plain).value).toBe('Ada admin');
  });

  it('reports an empty node-set as not found', () => {
    expect(select('xpath', { path: '//m:Missing', namespaces: NS }, ctx).found).toBe(false);
  });

  it('works without namespaces on plain XML', () => {
    const plain = makeContext(makeResponse({ body: '<user id="7"><name>Ada</name></user>' }));
    expect(select('xpath', { path: '/user/name' }, plain).value).toBe('Ada');
  });

  it('throws a SELECTOR error for malformed XML, an unknown prefix or a bad expression', () => {
    const malformed = makeContext(makeResponse({ body: '<a><b></a>' }));
    const error = catchError(() => select('xpath', { path: '/a' }, malformed));
    expect(error.code).toBe(ErrorCode.SELECTOR);
    expect(error.message).toMatch(/^Body is not XML: /);
    expect(catchError(() => select('xpath', { path: '//x:Price' }, ctx)).code).toBe(ErrorCode.SELECTOR);
    expect(catchError(() => select('xpath', { path: '//[' }, ctx)).code).toBe(ErrorCode.SELECTOR);
  });
});

describe('regex', () => {
  const ctx = makeContext(makeResponse({ body: 'order=A-17 status=Shipped\ntoken: xyz' }));

  it('gives capture group 1 by default when the pattern has a group', () => {
    expect(select('regex', { pattern: 'order=(\\w+)-(\\d+)' }, ctx)).toEqual({
      found: true,
      value: 'A',
      description: 'regex order=(\\w+)-(\\d+)',
    });
  });

  it('gives the chosen group', () => {
    expect(select('regex', { pattern: 'order=(\\w+)-(\\d+)', group: 2 }, ctx).value).toBe('17');
    expect(select('regex', { pattern: 'order=(\\w+)-(\\d+)', group: 0 }, ctx).value).toBe('order=A-17');
  });

  it('gives the whole match when the pattern has no group', () => {
    expect(select('regex', { pattern: 'status=\\w+' }, ctx).value).toBe('status=Shipped');
  });

  it('applies flags', () => {
    expect(select('regex', { pattern: 'STATUS=(\\w+)' }, ctx).found).toBe(false);
    expect(select('regex', { pattern: 'STATUS=(\\w+)', flags: 'i' }, ctx).value).toBe('Shipped');
    expect(select('regex', { pattern: '^token: (\\w+)$', flags: 'm' }, ctx).value).toBe('xyz');
  });

  it('applies leading inline flags, alone or with flags, and counts groups without them', () => {
    expect(select('regex', { pattern: '(?i)STATUS=(\\w+)' }, ctx).value).toBe('Shipped');
    expect(select('regex', { pattern: '(?im)^TOKEN: (\\w+)$', flags: 'i' }, ctx).value).toBe('xyz');
    expect(select('regex', { pattern: '(?i)order=(\\w+)-(\\d+)', group: 2 }, ctx).value).toBe('17');
  });

  it('gives the same first match on every call even with the g flag', () => {
    expect(select('regex', { pattern: '=(\\w)', flags: 'g' }, ctx).value).toBe('A');
    expect(select('regex', { pattern: '=(\\w)', flags: 'g' }, ctx).value).toBe('A');
  });

  it('reports no match, or a group that did not take part, as not found', () => {
    expect(select('regex', { pattern: 'missing=(\\d+)' }, ctx).found).toBe(false);
    expect(select('regex', { pattern: 'order=(x)?' }, ctx).found).toBe(false);
  });

  it('stops a pattern that backtracks without end after the time limit, with a SELECTOR error (the run hung for ever)', () => {
    const slow = makeContext(makeResponse({ body: `${'a'.repeat(40)}!` }));
    const started = Date.now();
    const error = catchError(() => select('regex', { pattern: '(a+)+$' }, slow));
    expect(Date.now() - started).toBeLessThan(PATTERN_TIME_LIMIT_MS + 5000);
    expect(error.code).toBe(ErrorCode.SELECTOR);
    expect(error.message).toBe(`the pattern /(a+)+$/ ran longer than ${PATTERN_TIME_LIMIT_MS} ms on 41 characters and was stopped`);
  }, 20_000);

  it('throws a SELECTOR error for an invalid pattern or a group beyond the pattern', () => {
    expect(catchError(() => select('regex', { pattern: '(unclosed' }, ctx)).code).toBe(ErrorCode.SELECTOR);
    expect(catchError(() => select('regex', { pattern: '(a)', group: 2 }, ctx)).code).toBe(ErrorCode.SELECTOR);
  });
});
