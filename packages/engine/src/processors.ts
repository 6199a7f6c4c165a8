import type { AssertionResult, DbRecord, HttpResponse, Processor, VariableScope } from '@sortie/core';
import { evaluateAssertion, evaluateExtraction, type SelectionContext } from '@sortie/extract';
import type { ScopeName } from '@sortie/template';
import type { ScenarioContext } from './context.js';
import { runDbOperation } from './db-operation.js';
import { sleep } from './sleep.js';

/** What processors of one step accumulate. */
export interface ProcessorState {
  response?: HttpResponse;
  /** What jsonpath reads instead of the response body: the result of a db step. */
  data?: unknown;
  assertions: AssertionResult[];
  extracted: string[];
  /** Database operations run by the step, in order. */
  db: DbRecord[];
}

const SCOPE_OF: Record<VariableScope, ScopeName> = {
  local: 'local',
  scenario: 'scenario',
  environment: 'environment',
  global: 'global',
};

/**
 * Runs processors in the order written (run cycle steps 2 and 6). Assertions record results and go on;
 * an extraction that finds nothing throws a SortieError, which makes the step an error.
 */
export async function runProcessors(
  processors: readonly Processor[] | undefined,
  state: ProcessorState,
  ctx: ScenarioContext,
): Promise<void> {
  if (processors === undefined) return;
  const selection: SelectionContext = {
    getVariable: (name) => ctx.vars.get(name),
  };
  if (state.response !== undefined) selection.response = state.response;
  if (state.data !== undefined) selection.data = state.data;
  for (const processor of processors) {
    if (processor.assert !== undefined) {
      for (const result of evaluateAssertion(processor.assert, selection)) state.assertions.push(result);
    } else if (processor.extract !== undefined) {
      const value = evaluateExtraction(processor.extract, selection);
      ctx.vars.set(SCOPE_OF[processor.extract.scope ?? 'local'], processor.extract.var, value);
      state.extracted.push(processor.extract.var);
    } else if (processor.wait !== undefined) {
      await sleep(processor.wait, ctx.signal);
    } else if (processor.db !== undefined) {
      await runDbProcessor(processor.db, state, ctx);
    }
  }
}

async function runDbProcessor(operation: NonNullable<Processor['db']>, state: ProcessorState, ctx: ScenarioContext): Promise<void> {
  await runDbOperation(operation, ctx, state.db);
  if (operation.as !== undefined) state.extracted.push(operation.as);
}
