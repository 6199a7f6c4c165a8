import { parseJsonSource } from '@sortie/config';
import { ErrorCode, type ForEachStep, SortieError } from '@sortie/core';
import { inexactNumberError, isDefinitePath, type SelectionContext, select } from '@sortie/extract';
import { renderValue } from '@sortie/template';
import type { ScenarioContext } from '../context.js';
import type { StepPlace } from '../step-place.js';
import { enterContainer, runContainer } from './container-step.js';
import type { FlowFrame, StepOutcome } from './flow-frame.js';
import { runPasses, saveLocals } from './iteration.js';

/**
 * A `forEach`: one pass per item, with the item in the local variable `item` (or `as`) and its
 * 0-based position in `index` (or the step's `index` name); both get their previous values back
 * after the loop. The items are read once, before the first pass.
 */
export function runForEachStep(step: ForEachStep, place: StepPlace, frame: FlowFrame): Promise<StepOutcome> {
  return runContainer(step, place, 'forEach', frame, async () => {
    const { ctx } = frame;
    const items = readItems(step.forEach.items, ctx);
    const itemName = step.forEach.as ?? 'item';
    const indexName = step.forEach.index ?? 'index';
    const restore = saveLocals(ctx.vars, [itemName, indexName]);
    try {
      return await runPasses(
        step.forEach.steps,
        place,
        enterContainer(step, frame, true),
        (n) => {
          if (n >= items.length) return false;
          ctx.vars.set('local', itemName, items[n]);
          ctx.vars.set('local', indexName, n);
          return true;
        },
        step.forEach.teardown,
      );
    } finally {
      restore();
    }
  });
}

/**
 * The items of a forEach: a template giving an array (or JSON text of one), a JSON array (its strings
 * templated), or `{ jsonpath, from? }` into the last response's body (or a variable). A definite path
 * must find an array; an indefinite one (`$.items[*].id`) iterates its matches, none meaning no pass.
 * @throws SortieError when the items are not an array or the path finds nothing.
 */
export function readItems(items: ForEachStep['forEach']['items'], ctx: ScenarioContext): unknown[] {
  const options = ctx.options.render;
  if (Array.isArray(items)) return renderValue(items, ctx.vars, options);
  if (typeof items === 'string') {
    let value: unknown = renderValue(items, ctx.vars, options);
    if (typeof value === 'string') value = parseJsonArray(value, items);
    if (!Array.isArray(value)) throw notAnArray(`"${items}"`, value);
    return value;
  }
  const selection: SelectionContext = { getVariable: (name) => ctx.vars.get(name) };
  if (ctx.lastResponse !== undefined) selection.response = ctx.lastResponse;
  const found = select(
    'jsonpath',
    items.from === undefined ? { path: items.jsonpath } : { path: items.jsonpath, from: items.from },
    selection,
  );
  const definite = isDefinitePath(items.jsonpath);
  if (!found.found) {
    if (!definite) return [];
    throw new SortieError(ErrorCode.SELECTOR, 'Nothing found', `forEach: ${found.description} found nothing`, {
      hint:
        items.from === undefined ? 'the path is read in the body of the last response' : `the path is read in the variable "${items.from}"`,
    });
  }
  if (!Array.isArray(found.value)) throw notAnArray(found.description, found.value);
  if (found.inexact === true) throw inexactNumberError(`forEach: ${found.description}`);
  return found.value;
}

/** Text that starts with `[` is read as a JSON array (RFC 8259); text that is not JSON says where it cannot be read. */
function parseJsonArray(text: string, items: string): unknown {
  if (!text.trim().startsWith('[')) return text;
  try {
    return JSON.parse(text);
  } catch {
    // Parsed again only to say where: the positioned parser's message and line/column in the rendered text.
    const outcome = parseJsonSource(text, items);
    const problem = 'errors' in outcome ? outcome.errors[0] : undefined;
    const where = problem?.location === undefined ? '' : ` (line ${problem.location.line}, column ${problem.location.column} of the text)`;
    throw new SortieError(
      ErrorCode.SELECTOR,
      'Not a list',
      `forEach: "${items}" gave text that is not valid JSON: ${problem?.message ?? 'cannot be read'}${where}`,
      { hint: 'the text of a JSON array is read as the list of items; check its brackets, commas and quotes' },
    );
  }
}

function notAnArray(what: string, value: unknown): SortieError {
  const type = value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  return new SortieError(ErrorCode.SELECTOR, 'Not a list', `forEach: ${what} gave ${type}, not an array`, {
    hint: 'give a variable holding an array, a JSON array, or { "jsonpath": "$.items" } into the last response',
  });
}
