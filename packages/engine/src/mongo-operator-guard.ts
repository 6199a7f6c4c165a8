/**
 * A MongoDB filter field whose value is exactly one `{{…}}` takes the variable with its type, so a
 * variable holding `{"$gt": ""}` (a value extracted from a response, a data file row) would turn
 * `{"name": "{{name}}"}` into a query operator matching every document: operator injection. Such a
 * value is refused; an Extended JSON value (`{"$oid": …}`, `{"$date": …}`, `{"$numberLong": …}`) is data
 * and passes, and a variable under an operator written in the scenario itself (`{"name": {"$in": "{{names}}"}}`,
 * `{"$and": ["{{condition}}"]}`) is the scenario's choice.
 * @see https://www.mongodb.com/docs/manual/reference/mongodb-extended-json/
 * @see https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/05.6-Testing_for_NoSQL_Injection
 */
import { ErrorCode, EXTENDED_JSON_VALUE_KEYS, SortieError } from '@sortie/core';

const WHOLE_TEMPLATE = /^\{\{(?:(?!\{\{|\}\}).)*\}\}$/s;

/**
 * Operators whose operand is filters (`{"$or": [{"name": "{{who}}"}]}`), whose fields are checked as the
 * top level's. A filter that is one whole variable under them (`{"$and": ["{{condition}}"]}`) is the scenario's choice.
 * @see https://www.mongodb.com/docs/manual/reference/operator/query-logical/
 */
const FILTER_OPERATORS = new Set(['$and', '$or', '$nor', '$elemMatch']);

/** Throws when a field of `written` (the filter as in the scenario) took an operator object from a variable in `rendered`. */
export function refuseInjectedOperators(written: unknown, rendered: unknown, path = 'filter'): void {
  if (Array.isArray(written)) {
    if (!Array.isArray(rendered)) return;
    for (const [index, item] of written.entries()) refuseInjectedOperators(item, rendered[index], `${path}[${index}]`);
    return;
  }
  if (!isPlainObject(written) || !isPlainObject(rendered)) return;
  for (const [key, value] of Object.entries(written)) {
    const at = `${path}.${key}`;
    const result = rendered[key];
    // Under an operator the scenario wrote ($in, $gt…) the variable is that operator's operand, as meant;
    // but the filters the scenario wrote under $or, $and, $nor or $elemMatch are filters, field by field.
    if (key.startsWith('$')) {
      if (FILTER_OPERATORS.has(key)) refuseInjectedOperators(value, result, at);
      continue;
    }
    if (typeof value === 'string' && WHOLE_TEMPLATE.test(value)) {
      const operator = findOperator(result);
      if (operator !== undefined)
        throw new SortieError(
          ErrorCode.INVALID_INPUT,
          'MongoDB operator from a variable',
          `${at} is ${value}, whose value is an object with the query operator "${operator}": it would match by that operator, not by the value`,
          {
            hint: `write the operator in the scenario and take only its operand from the variable ({"${key}": {"${operator}": "{{…}}"}}), or put the condition under an operator ({"$and": ["{{…}}"]}) when it is meant to come from the variable`,
          },
        );
      continue;
    }
    refuseInjectedOperators(value, result, at);
  }
}

/**
 * The `$match` stages of an aggregate pipeline are filters too: each is checked as `filter` is, also in
 * the pipelines inside a stage (`$facet`, `$lookup`, `$unionWith`).
 */
export function refusePipelineInjection(
  written: readonly unknown[] | undefined,
  rendered: readonly unknown[] | undefined,
  path = 'pipeline',
): void {
  if (written === undefined || !Array.isArray(rendered)) return;
  for (const [index, stage] of written.entries()) {
    const result = rendered[index];
    if (!isPlainObject(stage) || !isPlainObject(result)) continue;
    const at = `${path}[${index}]`;
    if ('$match' in stage) refuseInjectedOperators(stage.$match, result.$match, `${at}.$match`);
    for (const key of ['$lookup', '$unionWith'] as const) {
      const inner = stage[key];
      const innerResult = result[key];
      if (isPlainObject(inner) && isPlainObject(innerResult) && Array.isArray(inner.pipeline))
        refusePipelineInjection(inner.pipeline, innerResult.pipeline as unknown[], `${at}.${key}.pipeline`);
    }
    const facets = stage.$facet;
    const facetResults = result.$facet;
    if (isPlainObject(facets) && isPlainObject(facetResults))
      for (const [name, facet] of Object.entries(facets))
        if (Array.isArray(facet)) refusePipelineInjection(facet, facetResults[name] as unknown[], `${at}.$facet.${name}`);
  }
}

/** The first `$` key of an object that is no Extended JSON type wrapper: an operator where a value was (an embedded document's own keys are data). */
function findOperator(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  return Object.keys(value).find((key) => key.startsWith('$') && !EXTENDED_JSON_VALUE_KEYS.has(key));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
