import { type Body, ErrorCode, type HeaderList, type PreparedRequest, type RequestSpec, SortieError } from '@sortie/core';
import { buildUrl, encodeBody, parseHttpUrl, writtenContentType } from '@sortie/http';
import { type RenderOptions, renderString, renderValue } from '@sortie/template';
import type { ScenarioContext } from './context.js';

const ABSOLUTE_URL = /^[a-z][a-z\d+.-]*:\/\//i;

/**
 * Run cycle step 3: builds the request from its spec — templates rendered, service base URL applied,
 * query appended, body encoded — into the exact bytes that will be sent. `rendered.body` receives the
 * body with its templates rendered, before encoding (what a test script shows of a form body).
 */
export async function prepareRequest(spec: RequestSpec, ctx: ScenarioContext, rendered?: { body?: Body }): Promise<PreparedRequest> {
  const render = ctx.options.render;
  const vars = ctx.vars;
  const method = renderString(spec.method, vars, render).toUpperCase();
  const urlTemplate = trimUrlTemplate(spec.url);
  let url = renderString(urlTemplate, vars, render);
  url = applyService(url, spec.service === undefined ? undefined : renderString(spec.service, vars, render), ctx, render);
  if (spec.query !== undefined) url = buildUrl(url, renderValue(spec.query, vars, render));
  url = normaliseUrl(url);
  checkTemplateUserinfo(urlTemplate, url, ctx, render);
  registerUserinfo(url, ctx);

  const headers: HeaderList = [];
  if (spec.headers !== undefined) {
    for (const [name, value] of Object.entries(spec.headers)) {
      headers.push([renderString(name, vars, render), renderString(String(value), vars, render)]);
    }
  }

  const prepared: PreparedRequest = {
    method,
    url,
    headers,
    // A run with a deadline (--timeout) does not wait for a request past it.
    timeout: capTimeout(spec.timeout ?? ctx.options.timeoutRequest, ctx.options.deadline),
    followRedirects: ctx.options.ignoreRedirects === true ? false : (spec.followRedirects ?? ctx.options.followRedirects),
    maxRedirects: spec.maxRedirects ?? ctx.options.maxRedirects,
    maxResponseBytes: spec.maxResponseBytes ?? ctx.options.maxResponseBytes,
  };
  if (spec.http2 !== undefined) prepared.http2 = spec.http2;
  if (spec.body !== undefined) {
    const body = renderBody(spec.body, ctx, render);
    if (rendered !== undefined) rendered.body = body;
    const encoded = await encodeBody(
      body,
      ctx.options.files === undefined ? { baseDir: ctx.scenario.dir } : { baseDir: ctx.scenario.dir, files: ctx.options.files },
    );
    if (encoded.body !== undefined) prepared.body = encoded.body;
    // A Content-Type header wins over the body's type (a multipart one gets the body's boundary when it has none).
    const written = headers.findIndex(([n]) => n.toLowerCase() === 'content-type');
    if (written !== -1) headers[written] = [headers[written]![0], writtenContentType(headers[written]![1], body, encoded)];
    else if (encoded.contentType !== undefined) headers.push(['content-type', encoded.contentType]);
  }
  return prepared;
}

/** A request's timeout, no later than the run's deadline (epoch ms); at least 1 ms. */
function capTimeout(timeout: number, deadline: number | undefined): number {
  return deadline === undefined ? timeout : Math.max(1, Math.min(timeout, deadline - Date.now()));
}

/**
 * Text-like parts render as text (a `text` body of exactly "{{n}}" stays a string even when n is a
 * number); JSON, form and multipart values keep their types — a `json` body that is one string too
 * (`json: "{{payload}}"` sends the object `payload` holds, as `json: { p: "{{payload}}" }` sends it as a member).
 */
function renderBody(body: Body, ctx: ScenarioContext, render: RenderOptions): Body {
  const vars = ctx.vars;
  const out: Body = {};
  for (const [key, value] of Object.entries(body) as Array<[keyof Body, unknown]>) {
    if (value === undefined) continue;
    if (typeof value === 'string' && key !== 'json') (out as Record<string, unknown>)[key] = renderString(value, vars, render);
    else if (key === 'graphql') {
      const graphql = value as NonNullable<Body['graphql']>;
      out.graphql = { ...graphql, query: renderString(graphql.query, vars, render) };
      if (graphql.variables !== undefined) out.graphql.variables = renderValue(graphql.variables, vars, render);
      if (graphql.operationName !== undefined) out.graphql.operationName = renderString(graphql.operationName, vars, render);
    } else (out as Record<string, unknown>)[key] = renderValue(value, vars, render);
  }
  return out;
}

function applyService(url: string, service: string | undefined, ctx: ScenarioContext, render: RenderOptions): string {
  if (service === undefined && ABSOLUTE_URL.test(url)) return url;
  // Postman sends `example.com/items` (no scheme) over http: the scenario option says so.
  if (service === undefined && ctx.options.defaultScheme !== undefined && url !== '' && !url.startsWith('/')) {
    return `${ctx.options.defaultScheme}://${url}`;
  }
  const name = service ?? ctx.defaultService;
  if (name === undefined) {
    throw new SortieError(
      ErrorCode.INVALID_INPUT,
      'Relative URL without a service',
      `"${url}" is not an absolute URL and no service is set`,
      {
        hint: 'use an absolute URL, or add "service" to the request and define it under "services" in the environment',
      },
    );
  }
  const template = ctx.services[name];
  if (template === undefined) {
    const known = Object.keys(ctx.services);
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Unknown service', `service "${name}" is not defined in the environment`, {
      hint: known.length > 0 ? `defined services: ${known.join(', ')}` : 'pass an environment file with -e that defines "services"',
    });
  }
  if (ABSOLUTE_URL.test(url)) return url;
  const base = renderString(template, ctx.vars, render);
  return `${base.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

/**
 * A URL template with a user or password (`https://{{API_KEY}}@api.example/`, `http://admin:{{PASS}}@…`)
 * must go to the host written after its `@`. A value holding `/`, `?` or `#` ends the authority early
 * (RFC 3986 §3.2: the authority ends at the first of them), so its head became the host: looked up in
 * DNS and named in the error (`cannot resolve host "hunter2"`), the rest shown as the URL's path or
 * query. Refused instead, naming no part of the URL. The template's authority: after `scheme://`, up to
 * the first `/`, `?` or `#` outside `{{…}}`; its `@`, the last one there.
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-3.2
 */
function checkTemplateUserinfo(template: string, url: string, ctx: ScenarioContext, render: RenderOptions): void {
  const scheme = ABSOLUTE_URL.exec(template)?.[0];
  if (scheme === undefined || !template.includes('@')) return;
  let at = -1;
  for (let i = scheme.length; i < template.length; i++) {
    const char = template[i];
    if (char === '/' || char === '?' || char === '#') break;
    if (char === '@') at = i;
    else if (char === '{' && template[i + 1] === '{') {
      const close = template.indexOf('}}', i + 2);
      if (close === -1) break;
      i = close + 1;
    }
  }
  if (at === -1) return;
  let end = at + 1;
  while (end < template.length && !'/?#'.includes(template[end] as string)) end++;
  let written: string;
  let sent: string;
  try {
    written = new URL(`${scheme}${renderString(template.slice(at + 1, end), ctx.vars, render)}`).host;
    sent = new URL(url).host;
  } catch {
    return;
  }
  if (written === sent) return;
  throw new SortieError(
    ErrorCode.INVALID_INPUT,
    'Invalid URL',
    'the user or password in the URL holds a character a URL reserves ("/", "?", "#" or "@"): the request would go to another host than the one after the "@"',
    { hint: 'percent-encode the user name and password where the variable is set (/ as %2F, ? as %3F, # as %23, @ as %40)' },
  );
}

/**
 * The client sends a URL's userinfo as Basic credentials: its password (or a lone user name) is a secret (redacted in an echo of
 * it, in any encoding, as a password of an auth profile is), not only hidden in the URL's display.
 */
function registerUserinfo(url: string, ctx: ScenarioContext): void {
  const at = url.indexOf('@');
  if (at === -1) return;
  const { username, password } = new URL(url);
  // A user name alone is a token (`https://ghp_…@github.example/`), as redactUserinfo hides it: sent as
  // Basic `token:`, echoed decoded by a server (httpbin's /basic-auth answers `"user": "…"`).
  const secret = password !== '' ? password : username;
  if (secret === '') return;
  ctx.redactor.add(secret);
  try {
    ctx.redactor.add(decodeURIComponent(secret));
  } catch {
    // not percent-encoding: registered as written
  }
}

/**
 * Checks the URL and percent-encodes what may not appear raw in it (spaces from a variable, say),
 * as browsers and Postman do; escapes already present are kept. Request steps and `pm.sendRequest`
 * both send what this returns.
 * @see https://url.spec.whatwg.org/#concept-basic-url-parser
 */
export function normaliseUrl(url: string): string {
  return parseHttpUrl(encodeWhitespace(encodePathBackslashes(url))).href;
}

const AUTHORITY_START = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i;

/** What the URL parser strips from both ends of its input: C0 controls and space. */
const URL_EDGE_WHITESPACE = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;

/**
 * The URL as written, without the whitespace around it (a YAML block scalar's final newline, a pasted
 * space): the parser would strip it anyway. Only the template is trimmed: what its variables render
 * is kept (see encodeWhitespace).
 */
function trimUrlTemplate(template: string): string {
  return template.replace(URL_EDGE_WHITESPACE, '');
}

/** C0 controls and space; tab, LF and CR are the ones the URL parser would otherwise delete. */
const CONTROL_OR_SPACE = /[\u0000-\u0020]/;

/**
 * Control characters and spaces after the authority, percent-encoded before the URL parser sees them.
 * The parser deletes every tab, LF and CR and strips C0 controls and spaces at the ends, so a value
 * with a newline (a quoted CSV field, a multi-line variable) or a trailing space lost them silently;
 * postman-runtime sends them encoded (`a%0Ab`, `x%20`). The others it would encode the same way
 * (`%20`, `%01`), so nothing else changes.
 * @see https://url.spec.whatwg.org/#concept-basic-url-parser (removing tab and newline; leading and trailing C0 control or space)
 * @see https://url.spec.whatwg.org/#c0-control-percent-encode-set
 */
function encodeWhitespace(url: string): string {
  const authority = AUTHORITY_START.exec(url);
  if (authority === null) return url;
  const start = authority[0].length;
  const rest = url.slice(start);
  if (!CONTROL_OR_SPACE.test(rest)) return url;
  const encoded = rest.replace(
    new RegExp(CONTROL_OR_SPACE, 'g'),
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return url.slice(0, start) + encoded;
}

/**
 * A backslash in the path, percent-encoded (`%5C`): the WHATWG parser reads it as `/` in an http(s) URL
 * (browsers' rule), which changes the path a test asked for; curl sends it as a backslash. The authority
 * (up to the first `/`) and the query are left as they are (the query keeps a backslash raw anyway).
 *
 * @see https://url.spec.whatwg.org/#path-state
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-3.3
 */
function encodePathBackslashes(url: string): string {
  if (!url.includes('\\')) return url;
  const authority = AUTHORITY_START.exec(url);
  if (authority === null) return url;
  const start = authority[0].length;
  let end = url.length;
  for (const mark of ['?', '#']) {
    const at = url.indexOf(mark, start);
    if (at !== -1 && at < end) end = at;
  }
  return url.slice(0, start) + url.slice(start, end).replaceAll('\\', '%5C') + url.slice(end);
}
