import type { Processor, RequestSpec } from '@sortie/core';
import type { ScriptRequest } from '@sortie/sandbox';

/** Whether any of the processors is a script (only then is a script view of the request built). */
export function hasScripts(processors: readonly Processor[] | undefined): boolean {
  return processors?.some((p) => p.script !== undefined) ?? false;
}

/**
 * Whether processors read cookies: a `cookie` selector, or a script that may use pm.cookies (an
 * inline script that mentions cookies, or any script from a file or library). Reading the jar costs
 * tens of µs a step, so a plain `pm.test` script does not pay it.
 */
export function needsCookies(processors: readonly Processor[] | undefined): boolean {
  return (
    processors?.some((p) => p.assert?.cookie !== undefined || p.extract?.cookie !== undefined || scriptReadsCookies(p.script)) ?? false
  );
}

function scriptReadsCookies(script: Processor['script']): boolean {
  if (script === undefined) return false;
  const source = typeof script === 'string' ? script : script.source;
  return source === undefined || /cookie/i.test(source);
}

/**
 * The request as a pre-request script sees it, before variables are resolved — as in Postman,
 * where `pm.request.url` still shows `{{base}}/login` and the script may set the variables the
 * request then uses. Bodies that are not text (form, multipart, file) are not visible.
 */
export function draftScriptRequest(spec: RequestSpec): ScriptRequest {
  let url = spec.url;
  const query = Object.entries(spec.query ?? {}).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${k}=${String(x)}`));
  if (query.length > 0) url += (url.includes('?') ? '&' : '?') + query.join('&');
  const request: ScriptRequest = {
    method: spec.method,
    url,
    headers: Object.entries(spec.headers ?? {}).map(([k, v]) => [k, String(v)]),
  };
  const body = spec.body;
  if (body?.json !== undefined) request.body = JSON.stringify(body.json);
  else if (body?.text !== undefined) request.body = body.text;
  else if (body?.xml !== undefined) request.body = body.xml;
  return request;
}

/** Applies what a pre-request script changed to the spec; everything is still templated afterwards. */
export function applyScriptRequest(spec: RequestSpec, changed: ScriptRequest): RequestSpec {
  const draft = draftScriptRequest(spec);
  const next: RequestSpec = { ...spec, method: changed.method };
  if (changed.url !== draft.url) {
    next.url = changed.url;
    delete next.query;
  }
  if (JSON.stringify(changed.headers) !== JSON.stringify(draft.headers)) {
    const headers: Record<string, string> = {};
    for (const [name, value] of changed.headers) headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    next.headers = headers;
  }
  if (changed.body !== draft.body) {
    if (changed.body === undefined || changed.body === '') delete next.body;
    else next.body = { text: changed.body, contentType: contentTypeOf(changed, spec) };
  }
  return next;
}

function contentTypeOf(request: ScriptRequest, spec: RequestSpec): string {
  const header = request.headers.find(([name]) => name.toLowerCase() === 'content-type');
  if (header !== undefined) return header[1];
  if (spec.body?.contentType !== undefined) return spec.body.contentType;
  if (spec.body?.json !== undefined) return 'application/json';
  if (spec.body?.xml !== undefined) return 'application/xml';
  return 'text/plain;charset=utf-8';
}
