import type { Body, Processor, RequestSpec } from '@sortie/core';
import type { ScriptForm, ScriptFormField, ScriptGraphql, ScriptRequest } from '@sortie/sandbox';

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
 * request then uses. A `form` body is Postman's `urlencoded` mode, `multipart` its `formdata` mode (fields
 * as written); file and GraphQL bodies are not visible.
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
  else if (body?.form !== undefined) request.form = { mode: 'urlencoded', fields: formFields(body.form) };
  else if (body?.multipart !== undefined) request.form = { mode: 'formdata', fields: body.multipart.map(partField) };
  else if (body?.graphql !== undefined) request.graphql = { ...body.graphql };
  if (request.body !== undefined) request.bodyLanguage = rawBodyLanguage(contentTypeOf(request, spec));
  return request;
}

/**
 * A text body's language as a Postman collection writes it in `options.raw.language` (what
 * `pm.request.body.options.raw.language` gives), from its content type: the inverse of the content type
 * postman-runtime sends for each language.
 */
export function rawBodyLanguage(contentType: string | undefined): string {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml')) return 'xml';
  if (type === 'text/html') return 'html';
  if (type === 'application/javascript' || type === 'text/javascript') return 'javascript';
  return 'text';
}

/** The form fields of a rendered body (a `form` or `multipart` one), as a test script's pm.request.body shows them. */
export function sentScriptForm(body: Body | undefined): ScriptForm | undefined {
  if (body?.form !== undefined) return { mode: 'urlencoded', fields: formFields(body.form) };
  if (body?.multipart !== undefined) return { mode: 'formdata', fields: body.multipart.map(partField) };
  return undefined;
}

/** A `form` record's fields in order, a repeated name (an array) as one field per value. */
function formFields(form: NonNullable<Body['form']>): ScriptFormField[] {
  return Object.entries(form).flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => ({ key, value: String(v) })));
}

/** A multipart part as a Postman FormParam: `text` with a value, or `file` with its path as `src`. */
function partField(part: NonNullable<Body['multipart']>[number]): ScriptFormField {
  const field: ScriptFormField =
    part.file !== undefined
      ? { key: part.name, type: 'file', src: part.file }
      : { key: part.name, value: String(part.value), type: 'text' };
  if (part.contentType !== undefined) field.contentType = part.contentType;
  return field;
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
  if (changed.form !== undefined) {
    if (JSON.stringify(changed.form) !== JSON.stringify(draft.form)) {
      const body = formBody(changed.form, spec);
      if (body === undefined) delete next.body;
      else next.body = body;
    }
  } else if (changed.graphql !== undefined) {
    if (JSON.stringify(changed.graphql) !== JSON.stringify(draft.graphql)) next.body = graphqlBody(changed.graphql, spec);
  } else if (changed.body !== draft.body || draft.form !== undefined || draft.graphql !== undefined) {
    if (changed.body === undefined || changed.body === '') delete next.body;
    else next.body = { text: changed.body, contentType: contentTypeOf(changed, spec) };
  }
  return next;
}

/** A GraphQL body a script changed or set; a content type written for the GraphQL body is kept. */
function graphqlBody(graphql: ScriptGraphql, spec: RequestSpec): Body {
  const contentType = spec.body?.graphql !== undefined ? spec.body.contentType : undefined;
  return contentType === undefined ? { graphql } : { graphql, contentType };
}

/**
 * A form a script changed: `urlencoded` as a `form` (a repeated key's values in one array, so a key
 * that comes back after another is sent next to its first), `formdata` as `multipart` parts. Empty: no body.
 * Values are still templates: they are rendered with the rest of the request.
 */
function formBody(form: ScriptForm, spec: RequestSpec): Body | undefined {
  if (form.fields.length === 0) return undefined;
  if (form.mode === 'urlencoded') {
    const fields: Record<string, string | string[]> = {};
    for (const { key, value = '' } of form.fields) {
      const existing = Object.hasOwn(fields, key) ? fields[key] : undefined;
      const merged = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
      Object.defineProperty(fields, key, { value: merged, writable: true, enumerable: true, configurable: true });
    }
    const contentType = spec.body?.form !== undefined ? spec.body.contentType : undefined;
    return contentType === undefined ? { form: fields } : { form: fields, contentType };
  }
  return {
    multipart: form.fields.map((field) => {
      const part: NonNullable<Body['multipart']>[number] =
        field.type === 'file' ? { name: field.key, file: field.src ?? '' } : { name: field.key, value: field.value ?? '' };
      if (field.contentType !== undefined) part.contentType = field.contentType;
      return part;
    }),
  };
}

function contentTypeOf(request: ScriptRequest, spec: RequestSpec): string {
  const header = request.headers.find(([name]) => name.toLowerCase() === 'content-type');
  if (header !== undefined) return header[1];
  if (spec.body?.contentType !== undefined) return spec.body.contentType;
  if (spec.body?.json !== undefined) return 'application/json';
  if (spec.body?.xml !== undefined) return 'application/xml';
  if (spec.body?.graphql !== undefined) return 'application/json';
  return 'text/plain;charset=utf-8';
}
