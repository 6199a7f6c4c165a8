/**
 * Ajv's errors as contract violations: the JSON pointer into the body, what the schema expected
 * and what the body holds there. Errors of `oneOf`/`anyOf` branches that were not chosen are
 * summed up by the keyword that failed, as Ajv reports it.
 * @see https://ajv.js.org/api.html#validation-errors
 */
import type { ErrorObject } from 'ajv';
import { describeType, formatValue, truncateActual } from '../format-value.js';
import type { ContractViolation } from './violation.js';

export function describeSchemaErrors(errors: readonly ErrorObject[], body: unknown): ContractViolation[] {
  const violations: ContractViolation[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // `if` failing is how a discriminator branch is not chosen: not a violation of its own.
    if (error.keyword === 'if') continue;
    const violation = describeError(error, body);
    const key = `${violation.pointer} ${violation.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    violations.push(violation);
  }
  return violations;
}

function describeError(error: ErrorObject, body: unknown): ContractViolation {
  const params = error.params as Record<string, unknown>;
  const at = error.instancePath;
  const actualAt = (pointer: string) => truncateActual(valueAt(body, pointer));
  const where = (pointer: string) => `response body ${pointer === '' ? '/' : pointer}`;
  switch (error.keyword) {
    case 'required': {
      const pointer = `${at}/${escapeSegment(String(params.missingProperty))}`;
      return { check: 'schema', pointer, expected: 'present', message: `${where(pointer)}: the required property is missing` };
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(params.additionalProperty ?? params.unevaluatedProperty);
      const pointer = `${at}/${escapeSegment(name)}`;
      return {
        check: 'schema',
        pointer,
        expected: 'no such property',
        actual: actualAt(pointer),
        message: `${where(pointer)}: the property is not in the schema`,
      };
    }
    case 'not':
      if (isWriteOnly(error.parentSchema)) {
        return {
          check: 'schema',
          pointer: at,
          expected: 'absent (writeOnly)',
          actual: actualAt(at),
          message: `${where(at)}: a writeOnly property must not be in a response`,
        };
      }
      break;
    case 'type': {
      const actual = valueAt(body, at);
      const expected = Array.isArray(params.type) ? params.type.join(' or ') : String(params.type);
      return {
        check: 'schema',
        pointer: at,
        expected,
        actual: truncateActual(actual),
        message: `${where(at)}: expected ${expected}, got ${describeType(actual)} ${formatValue(actual)}`,
      };
    }
    case 'enum':
      return {
        check: 'schema',
        pointer: at,
        expected: params.allowedValues,
        actual: actualAt(at),
        message: `${where(at)}: ${formatValue(valueAt(body, at))} is not one of ${formatValue(params.allowedValues)}`,
      };
    case 'const':
      return {
        check: 'schema',
        pointer: at,
        expected: params.allowedValue,
        actual: actualAt(at),
        message: `${where(at)}: expected ${formatValue(params.allowedValue)}, got ${formatValue(valueAt(body, at))}`,
      };
    case 'format':
      return {
        check: 'schema',
        pointer: at,
        expected: `format ${String(params.format)}`,
        actual: actualAt(at),
        message: `${where(at)}: ${formatValue(valueAt(body, at))} is not a valid ${String(params.format)}`,
      };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        check: 'schema',
        pointer: at,
        expected: `${String(params.comparison)} ${String(params.limit)}`,
        actual: actualAt(at),
        message: `${where(at)}: expected ${String(params.comparison)} ${String(params.limit)}, got ${formatValue(valueAt(body, at))}`,
      };
    default:
      break;
  }
  return {
    check: 'schema',
    pointer: at,
    expected: describeExpected(error),
    actual: actualAt(at),
    message: `${where(at)}: ${error.message ?? 'does not match the schema'}`,
  };
}

/** What the schema asked for, in the words of the keyword and its limit (`maxLength 10`, `pattern ^a`). */
function describeExpected(error: ErrorObject): unknown {
  const params = error.params as Record<string, unknown>;
  const limit = params.limit ?? params.pattern ?? params.passingSchemas;
  return limit === undefined ? error.keyword : `${error.keyword} ${formatValue(limit)}`;
}

function isWriteOnly(schema: unknown): boolean {
  return schema !== null && typeof schema === 'object' && (schema as Record<string, unknown>)['x-sortie-write-only'] === true;
}

/** The value at a JSON pointer of the body (undefined when there is none). */
function valueAt(body: unknown, pointer: string): unknown {
  if (pointer === '') return body;
  let node = body;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
