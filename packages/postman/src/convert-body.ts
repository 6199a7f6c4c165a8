/**
 * Postman request bodies → Sortie bodies, as postman-runtime sends them: raw (with the content type
 * of its language unless a header sets one), urlencoded, formdata (text and file parts; file paths
 * relative to the working directory), file, graphql.
 * @see https://learning.postman.com/docs/sending-requests/create-requests/parameters/ (body modes)
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { type Body, guessMediaType } from '@sortie/core';
import type { PmBody, PmFormParam } from './collection-types.js';

/** Where file paths of formdata and file bodies are looked up. */
export interface BodyPaths {
  /** The folder of the collection file: the converted scenario names files relative to it. */
  collectionDir: string;
  /** `--working-dir`: relative file paths resolve here (default: the collection's folder). */
  workingDir?: string;
}

/** Content types postman-runtime adds for a raw body's language (core-body-builder.js). */
const RAW_CONTENT_TYPES: Record<string, string> = {
  html: 'text/html',
  text: 'text/plain',
  json: 'application/json',
  javascript: 'application/javascript',
  xml: 'application/xml',
};

/** Why a body cannot be sent as Postman would send it. */
export class UnsupportedBody extends Error {}

/**
 * Converts a body; undefined when nothing is sent (no body, disabled, empty raw text).
 * @param hasContentType whether the request's enabled headers set Content-Type (then no default is added).
 */
export function convertBody(body: PmBody | null | undefined, hasContentType: boolean, paths: BodyPaths): Body | undefined {
  if (body === null || body === undefined || body.disabled === true) return undefined;
  switch (body.mode) {
    case 'raw': {
      const raw = typeof body.raw === 'string' ? body.raw : body.raw === undefined ? '' : JSON.stringify(body.raw);
      if (raw === '') return undefined;
      const language = body.options?.raw?.language ?? 'text';
      return hasContentType ? { text: raw } : { text: raw, contentType: RAW_CONTENT_TYPES[language] ?? 'text/plain' };
    }
    case 'urlencoded': {
      const form: Record<string, string | string[]> = {};
      for (const param of enabled(body.urlencoded)) {
        const key = param.key ?? '';
        const value = stringOf(param.value);
        const existing = form[key];
        form[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
      }
      return Object.keys(form).length === 0 ? undefined : { form };
    }
    case 'formdata': {
      const parts: NonNullable<Body['multipart']> = [];
      for (const param of enabled(body.formdata)) {
        const name = param.key ?? '';
        if (name === '') continue;
        if (param.type === 'file') {
          const sources = Array.isArray(param.src) ? param.src : param.src === undefined || param.src === null ? [] : [param.src];
          if (sources.length === 0) throw new UnsupportedBody(`form-data file field "${name}" names no file`);
          for (const src of sources) {
            parts.push({ name, file: filePath(src, paths), ...(param.contentType ? { contentType: param.contentType } : {}) });
          }
        } else {
          parts.push({ name, value: stringOf(param.value), ...(param.contentType ? { contentType: param.contentType } : {}) });
        }
      }
      return parts.length === 0 ? undefined : { multipart: parts };
    }
    case 'file': {
      const src = body.file?.src;
      // postman-request names a file body's type after its extension (mime-types, else
      // application/octet-stream) unless a header sets one.
      if (typeof src === 'string' && src !== '') {
        const file = filePath(src, paths);
        return hasContentType ? { file } : { file, contentType: guessMediaType(src) };
      }
      if (typeof body.file?.content === 'string') return { text: body.file.content };
      return undefined;
    }
    case 'graphql':
      return convertGraphql(body.graphql, hasContentType);
    case undefined:
      return undefined;
    default:
      throw new UnsupportedBody(`body mode "${body.mode}" is not supported`);
  }
}

/** GraphQL: `{ query, operationName, variables }`; variables written as JSON text stay text, as Postman sends them. */
function convertGraphql(graphql: PmBody['graphql'], hasContentType: boolean): Body | undefined {
  if (graphql === undefined) return undefined;
  const query = graphql.query ?? '';
  const variables = graphql.variables;
  const contentType = hasContentType ? {} : { contentType: 'application/json' };
  if (query !== '' && (variables === undefined || variables === '' || typeof variables === 'object')) {
    const body: NonNullable<Body['graphql']> = { query };
    if (variables !== undefined && variables !== '' && typeof variables === 'object') body.variables = variables;
    if (graphql.operationName) body.operationName = graphql.operationName;
    return { graphql: body };
  }
  // Variables as JSON text (possibly holding {{…}} outside strings): assembled as postman-runtime does.
  const fields: string[] = [];
  fields.push(`"query":${JSON.stringify(query)}`);
  if (graphql.operationName) fields.push(`"operationName":${JSON.stringify(graphql.operationName)}`);
  if (typeof variables === 'string' && variables !== '') fields.push(`"variables":${variables}`);
  return { text: `{${fields.join(',')}}`, ...contentType };
}

function enabled(params: PmFormParam[] | undefined): PmFormParam[] {
  return (params ?? []).filter((param) => param !== null && typeof param === 'object' && param.disabled !== true);
}

function stringOf(value: unknown): string {
  return value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
}

/** A file path as the converted scenario names it: relative to the collection's folder (absolute stays absolute). */
function filePath(src: string, paths: BodyPaths): string {
  if (isAbsolute(src)) return src;
  const absolute = resolve(paths.workingDir ?? paths.collectionDir, src);
  return relative(paths.collectionDir, absolute) || '.';
}
