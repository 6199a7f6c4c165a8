/**
 * The parts of the Postman Collection format v2.0 / v2.1 the converter reads, as they appear in JSON
 * (https://schema.postman.com/json/collection/v2.1.0/collection.json). v2.0 writes auth parameters as
 * an object (`{ "basic": { "username": "…" } }`), v2.1 as a list of `{ key, value }`; both are accepted.
 */

export interface PmVariable {
  key?: string;
  id?: string;
  value?: unknown;
  type?: string;
  disabled?: boolean;
  enabled?: boolean;
  description?: unknown;
  /** v3 environment files may mark a secret as `secret: true` (next to `type: default`). */
  secret?: boolean;
}

export interface PmScript {
  exec?: string | string[];
  type?: string;
  src?: unknown;
}

export interface PmEvent {
  listen?: string;
  script?: PmScript | string;
  disabled?: boolean;
}

export type PmAuthParams = Array<{ key?: string; value?: unknown; type?: string }> | Record<string, unknown>;

export interface PmAuth {
  type?: string;
  [scheme: string]: PmAuthParams | string | undefined;
}

export interface PmHeader {
  key?: string;
  value?: unknown;
  disabled?: boolean;
}

export interface PmFormParam {
  key?: string;
  value?: unknown;
  disabled?: boolean;
  type?: string;
  src?: string | string[] | null;
  contentType?: string;
}

export interface PmBody {
  mode?: string;
  raw?: string;
  urlencoded?: PmFormParam[];
  formdata?: PmFormParam[];
  file?: { src?: string | null; content?: string };
  graphql?: { query?: string; variables?: string | Record<string, unknown>; operationName?: string };
  options?: { raw?: { language?: string } };
  disabled?: boolean;
}

export interface PmUrlObject {
  raw?: string;
  protocol?: string;
  host?: string | string[];
  port?: string;
  path?: string | Array<string | { value?: string }>;
  query?: Array<{ key?: string | null; value?: string | null; disabled?: boolean }>;
  hash?: string;
  variable?: PmVariable[];
}

export interface PmRequest {
  url?: string | PmUrlObject;
  method?: string;
  header?: PmHeader[] | string;
  body?: PmBody | null;
  auth?: PmAuth | null;
  description?: unknown;
}

export interface PmItem {
  name?: string;
  id?: string;
  description?: unknown;
  /** A folder (item group) has `item`; a request item has `request`. */
  item?: PmItem[];
  request?: PmRequest | string;
  /** A list; the collection SDK also reads one event written as an object. */
  event?: PmEvent[] | PmEvent;
  auth?: PmAuth | null;
  variable?: PmVariable[];
  protocolProfileBehavior?: Record<string, unknown>;
  response?: unknown[];
  /** Not in the v2.1 format: set by the v3 reader for a GraphQL request, whose scripts are the `graphql:` events of each level. */
  protocol?: 'graphql';
  /** Not in the v2.1 format: set by the v3 reader for a request Sortie cannot run, with the reason. */
  unsupported?: string;
}

export interface PmCollection {
  info: { name?: string; _postman_id?: string; schema?: string; description?: unknown };
  item?: PmItem[];
  /** A list; the collection SDK also reads one event written as an object. */
  event?: PmEvent[] | PmEvent;
  variable?: PmVariable[];
  auth?: PmAuth | null;
  protocolProfileBehavior?: Record<string, unknown>;
}

/** An environment or globals export. */
export interface PmVariableFile {
  id?: string;
  name?: string;
  values: PmVariable[];
  _postman_variable_scope?: string;
}
