import { ErrorCode, getHeaderValues, type HttpResponse, type SelectorName, SortieError } from '@sortie/core';
import { parseSetCookies } from './cookies.js';
import { compilePattern } from './regex-cache.js';
import { getBodyText, getInexactJsonNumbers, getJsonBody, getXmlBody } from './response-cache.js';
import { execPattern } from './run-pattern.js';
import { selectJsonPath } from './select-jsonpath.js';
import { selectXPath } from './select-xpath.js';
import type { Selection, SelectionContext, SelectorArgument } from './types.js';

/** Describes a selector for messages and reports, e.g. `header content-type`, `jsonpath $.id`. */
export function describeSelector(selector: SelectorName, argument: SelectorArgument): string {
  switch (selector) {
    case 'header':
    case 'cookie':
    case 'variable':
      return `${selector} ${argument.name ?? ''}`;
    case 'jsonpath':
      return `jsonpath ${argument.path ?? ''}${argument.from === undefined ? '' : ` of ${argument.from}`}`;
    case 'xpath':
      return `${selector} ${argument.path ?? ''}`;
    case 'regex':
      return `regex ${argument.pattern ?? ''}`;
    default:
      return selector;
  }
}

/**
 * A variable holding the text of a JSON object or array (a body kept with `body: true`, an
 * `--env-var`, a Redis value, a script's `JSON.stringify`) is read as that JSON, as the body is: `$.id`
 * of it found nothing. Any other value, and text that is no JSON, is read as it is.
 */
function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const start = value.trimStart()[0];
  if (start !== '{' && start !== '[') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** What a JSONPath reads: a variable (`from`), the step's data (a database result), or the response body. */
function jsonSubject(ctx: SelectionContext, argument: SelectorArgument, description: string): unknown {
  if (argument.from !== undefined) {
    const value = ctx.getVariable(argument.from);
    if (value === undefined) {
      throw new SortieError(
        ErrorCode.SELECTOR,
        'No such variable',
        `Cannot evaluate ${description}: variable "${argument.from}" is not defined`,
      );
    }
    return parseJsonText(value);
  }
  if (ctx.data !== undefined) return ctx.data;
  return getJsonBody(requireResponse(ctx, description));
}

/** Whether a selected number (or one of the numbers an indefinite path selected) is one the response wrote inexactly. */
function hasInexactNumber(value: unknown, inexact: ReadonlySet<number>): boolean {
  if (inexact.size === 0) return false;
  if (typeof value === 'number') return inexact.has(value);
  return Array.isArray(value) && value.some((item) => typeof item === 'number' && inexact.has(item));
}

/**
 * The error of a selection whose value is a number the response wrote with more digits than a number
 * keeps (Selection.inexact): compared or extracted, it would be another value, silently. The digits
 * are not quoted (a number may be a secret).
 */
export function inexactNumberError(description: string): SortieError {
  return new SortieError(
    ErrorCode.SELECTOR,
    'Inexact number',
    `Cannot evaluate ${description}: the response has this number with more digits than a number keeps exactly (15 to 17 significant digits, integers up to 2^53), so it would be compared or stored as another value; select its digits as text with a regex over the body, e.g. regex: '"id"\\s*:\\s*(-?\\d+)'`,
  );
}

function requireResponse(ctx: SelectionContext, description: string): HttpResponse {
  if (ctx.response === undefined) {
    throw new SortieError(ErrorCode.SELECTOR, 'No response', `Cannot evaluate ${description}: there is no response`);
  }
  return ctx.response;
}

function requireArgument(value: string | undefined, field: keyof SelectorArgument, description: string): string {
  if (value === undefined || value === '') {
    throw new SortieError(ErrorCode.SELECTOR, 'Invalid selector', `Cannot evaluate ${description}: "${field}" is missing`);
  }
  return value;
}

function selectRegex(text: string, argument: SelectorArgument, description: string): { found: boolean; value: unknown } {
  const { regexp, groups } = compilePattern(requireArgument(argument.pattern, 'pattern', description), argument.flags);
  const group = argument.group ?? (groups > 0 ? 1 : 0);
  if (group > groups) {
    throw new SortieError(
      ErrorCode.SELECTOR,
      'Invalid selector',
      `Cannot evaluate ${description}: group ${group} does not exist (the pattern has ${groups})`,
    );
  }
  const match = execPattern(regexp, text);
  const value = match?.[group];
  return value === undefined ? { found: false, value: undefined } : { found: true, value };
}

function selectCookie(ctx: SelectionContext, name: string, description: string): { found: boolean; value: unknown } {
  // This response's own Set-Cookie first, whatever its Path or Domain (what the response set, as Hurl's cookie query and
  // pm.response.cookies read it): the jar's cookie of that name for the request URL may be an older one under another
  // path (`sid=new; Path=/api` set by /login, next to `sid=old; Path=/`), which the selector reported instead.
  // Then the run's jar for the request URL: a cookie a redirect hop or an earlier response set.
  if (ctx.response !== undefined) {
    const value = parseSetCookies(getHeaderValues(ctx.response.headers, 'set-cookie')).get(name);
    if (value !== undefined) return { found: true, value };
  }
  if (ctx.cookies === undefined) requireResponse(ctx, description);
  else if (Object.hasOwn(ctx.cookies, name)) return { found: true, value: ctx.cookies[name] };
  return { found: false, value: undefined };
}

/**
 * Evaluates one selector against the current response and variables.
 * - `status` → the status code; `responseTime` → `timings.total` in ms; `body` → the body as UTF-8 text.
 * - `header` → the value, several values joined by ", " (name case-insensitive).
 * - `cookie` → from the response's Set-Cookie headers, else from `ctx.cookies` (the jar) when given.
 * - `jsonpath` → the single match of a definite path, else (or with `all`) the array of matches.
 * - `xpath` → text of the first matching node (all texts with `all`), or a number/string/boolean.
 * - `regex` → capture `group` of the first match over the body text.
 * - `variable` → `ctx.getVariable(name)`, found when not undefined.
 * @throws SortieError(SELECTOR) when the selector cannot be evaluated: no response, body not
 *   JSON/XML, invalid JSONPath/XPath/regex, missing argument. Finding nothing is not an error.
 */
export function select(selector: SelectorName, argument: SelectorArgument, ctx: SelectionContext): Selection {
  const description = describeSelector(selector, argument);
  const result: { found: boolean; value: unknown; inexact?: true } = selectValue(selector, argument, ctx, description);
  const selection: Selection = { found: result.found, value: result.value, description };
  if (result.inexact === true) selection.inexact = true;
  return selection;
}

function selectValue(
  selector: SelectorName,
  argument: SelectorArgument,
  ctx: SelectionContext,
  description: string,
): { found: boolean; value: unknown; inexact?: true } {
  switch (selector) {
    case 'status':
      return { found: true, value: requireResponse(ctx, description).status };
    case 'responseTime':
      return { found: true, value: requireResponse(ctx, description).timings.total };
    case 'body':
      return { found: true, value: getBodyText(requireResponse(ctx, description)) };
    case 'header': {
      const values = getHeaderValues(requireResponse(ctx, description).headers, requireArgument(argument.name, 'name', description));
      return values.length === 0 ? { found: false, value: undefined } : { found: true, value: values.join(', ') };
    }
    case 'cookie':
      return selectCookie(ctx, requireArgument(argument.name, 'name', description), description);
    case 'jsonpath': {
      const path = requireArgument(argument.path, 'path', description);
      const selection: { found: boolean; value: unknown; inexact?: true } = selectJsonPath(
        jsonSubject(ctx, argument, description),
        path,
        argument.all === true,
      );
      const fromBody = argument.from === undefined && ctx.data === undefined;
      if (selection.found && fromBody && hasInexactNumber(selection.value, getInexactJsonNumbers(ctx.response!))) selection.inexact = true;
      return selection;
    }
    case 'xpath': {
      const path = requireArgument(argument.path, 'path', description);
      return selectXPath(getXmlBody(requireResponse(ctx, description)), path, argument.namespaces, argument.all === true);
    }
    case 'regex':
      return selectRegex(getBodyText(requireResponse(ctx, description)), argument, description);
    case 'variable': {
      const value = ctx.getVariable(requireArgument(argument.name, 'name', description));
      return { found: value !== undefined, value };
    }
    default:
      throw new SortieError(ErrorCode.SELECTOR, 'Invalid selector', `Unknown selector "${String(selector)}"`);
  }
}
