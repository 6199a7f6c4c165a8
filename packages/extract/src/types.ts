import type { HttpResponse } from '@sortie/core';
import type { Contract, ContractRequest } from './openapi/contract.js';

/** What a selector reads from: the current response, the variables and the cookie jar. */
export interface SelectionContext {
  /** The response of the current step, if any. */
  response?: HttpResponse;
  /** Variable lookup across all scopes; returns undefined when unset. */
  getVariable(name: string): unknown;
  /** Cookies for the request URL from the run's cookie jar (name -> value): the `cookie` selector reads them
   *  for a name the response's own Set-Cookie headers do not set. */
  cookies?: Record<string, string>;
  /** A JSON document that `jsonpath` reads instead of the response body (a database result). */
  data?: unknown;
  /** The request the response answers (an `openapi` assertion finds its operation by it). */
  request?: ContractRequest;
  /** The run's contracts: the loaded OpenAPI description that a `spec` (as written in the scenario) names. */
  contract?(spec: string): Contract | undefined;
}

/** What a selector found. */
export interface Selection {
  found: boolean;
  value: unknown;
  /** What was selected, e.g. `status`, `header content-type`, `jsonpath $.items[0].id`. */
  description: string;
  /**
   * The value is (or, for an indefinite path, holds) a number of the response body written with more digits
   * than a number keeps (`9007199254740993`, read as 9007199254740992): it exists and is a number, but any
   * comparison or extraction of it would use another value (see inexactNumberError).
   */
  inexact?: true;
}

/**
 * The argument of a selector. Which fields matter depends on the selector:
 * `header`/`cookie`/`variable` use `name`; `jsonpath`/`xpath` use `path` (+ `namespaces` for XPath);
 * `regex` uses `pattern`, `group` and `flags`; `all` (jsonpath/xpath) keeps every match as an array.
 */
export interface SelectorArgument {
  /** Header, cookie or variable name. */
  name?: string;
  /** JSONPath or XPath expression. */
  path?: string;
  /** Regular expression source (without slashes). */
  pattern?: string;
  /** Regex capture group; default 1 when the pattern has a capture group, else 0 (the whole match). */
  group?: number;
  /** Regex flags, e.g. `i`, `s`, `m`. */
  flags?: string;
  /** XPath prefix → namespace URI map (e.g. for SOAP envelopes). */
  namespaces?: Record<string, string>;
  /** jsonpath: evaluate on this variable's value instead of the response body (or `data`). */
  from?: string;
  /** jsonpath/xpath: return every match as an array. Default false. */
  all?: boolean;
}
