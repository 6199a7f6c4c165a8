import { resolve } from 'node:path';
import {
  type AssertionResult,
  isSortieError,
  type Processor,
  SECRET_NAME_PATTERN,
  SELECTOR_NAMES,
  sleep,
  type VariableScope,
} from '@sortie/core';
import { evaluateAssertion, evaluateContract, evaluateExtraction, type SelectionContext } from '@sortie/extract';
import type { ScopeName } from '@sortie/template';
import type { ScenarioContext } from './context.js';
import { runDbOperation } from './db-operation.js';
import type { ProcessorState } from './processor-state.js';
import { renderAssertion } from './render-assertion.js';
import { applyScriptOutcome } from './scripts/apply-outcome.js';
import { runScript } from './scripts/run-script.js';
import { locateNode, locateScriptError } from './source-locations.js';

export type { ProcessorState } from './processor-state.js';

const SCOPE_OF: Record<VariableScope, ScopeName> = {
  local: 'local',
  scenario: 'scenario',
  environment: 'environment',
  global: 'global',
};

/** Which list of a step the processors come from; an unnamed script is called `<step>.pre[i]` or `<step>.post[i]`. */
export type ProcessorList = 'pre' | 'post';

/**
 * Runs processors in the order written (run cycle steps 2 and 6). Assertions record results and go on;
 * an extraction that finds nothing throws a SortieError, which makes the step an error.
 */
export async function runProcessors(
  processors: readonly Processor[] | undefined,
  state: ProcessorState,
  ctx: ScenarioContext,
  list: ProcessorList,
): Promise<void> {
  if (processors === undefined) return;
  const selection = selectionOf(state, ctx);
  for (const [index, processor] of processors.entries()) {
    try {
      await runProcessor(processor, `${list}[${index}]`, selection, state, ctx);
    } catch (error) {
      // An extraction that found nothing, a script that threw: the step's error points at this processor.
      const location =
        processor.script === undefined
          ? locateNode(ctx.scenario, processor, processorTail(processor))
          : locateScriptError(ctx.scenario, processor, ['script'], processor.script, isSortieError(error) ? error : undefined);
      if (location !== undefined) state.errorLocation = location;
      throw error;
    }
    if (state.skip) return;
  }
}

/** The part of a processor an error of it points at. */
function processorTail(processor: Processor): string[] {
  for (const key of ['extract', 'script', 'db', 'wait', 'assert'] as const) if (processor[key] !== undefined) return [key];
  return [];
}

async function runProcessor(
  processor: Processor,
  place: string,
  selection: SelectionContext,
  state: ProcessorState,
  ctx: ScenarioContext,
): Promise<void> {
  if (processor.assert !== undefined) {
    for (const result of evaluateAssertion(renderAssertion(processor.assert, ctx), selection)) {
      if (!result.passed) {
        // The caret goes under the operator's expected value, as Hurl points at the predicate.
        const selector = SELECTOR_NAMES.find((name) => name in (processor.assert as object));
        const location = locateNode(ctx.scenario, processor, selector === undefined ? ['assert'] : ['assert', selector, result.operator]);
        if (location !== undefined) result.location = location;
      }
      state.assertions.push(result);
    }
  } else if (processor.extract !== undefined) {
    const value = evaluateExtraction(processor.extract, selection);
    ctx.vars.set(SCOPE_OF[processor.extract.scope ?? 'local'], processor.extract.var, value);
    if (processor.extract.secret ?? SECRET_NAME_PATTERN.test(processor.extract.var)) registerSecret(processor.extract.var, value, ctx);
    state.extracted.push(processor.extract.var);
  } else if (processor.wait !== undefined) {
    await sleep(processor.wait, ctx.signal);
  } else if (processor.db !== undefined) {
    await runDbProcessor(processor.db, state, ctx);
  } else if (processor.script !== undefined) {
    await runScriptProcessor(processor.script, place, state, ctx);
  }
}

/** What assertions and extractions of a step read: its response, variables, cookies, and the run's contracts. */
function selectionOf(state: ProcessorState, ctx: ScenarioContext): SelectionContext {
  const selection: SelectionContext = {
    getVariable: (name) => ctx.vars.get(name),
    contract: (spec) => ctx.contracts.get(resolve(ctx.scenario.dir, spec)),
  };
  if (state.response !== undefined) selection.response = state.response;
  if (state.data !== undefined) selection.data = state.data;
  if (state.cookies !== undefined) selection.cookies = state.cookies;
  if (state.sent !== undefined) selection.request = state.sent;
  return selection;
}

/**
 * The scenario's `options.contract`: the response of a request step checked against the description,
 * after the step's own post-processors (results with source `contract`).
 */
export function checkScenarioContract(state: ProcessorState, ctx: ScenarioContext): void {
  const contract = ctx.scenario.value.options?.contract;
  if (contract === undefined || state.response === undefined) return;
  const results: AssertionResult[] = evaluateContract({ spec: contract.spec }, selectionOf(state, ctx), { source: 'contract' });
  for (const result of results) state.assertions.push(result);
}

async function runDbProcessor(operation: NonNullable<Processor['db']>, state: ProcessorState, ctx: ScenarioContext): Promise<void> {
  await runDbOperation(operation, ctx, state.db);
  if (operation.as !== undefined) state.extracted.push(operation.as);
}

async function runScriptProcessor(
  spec: NonNullable<Processor['script']>,
  place: string,
  state: ProcessorState,
  ctx: ScenarioContext,
): Promise<void> {
  const eventName = state.phase ?? 'test';
  const stepName = state.stepName ?? 'step';
  const call: Parameters<typeof runScript>[1] = {
    eventName,
    defaultName: `${stepName}.${place}`,
    requestName: stepName,
    requestId: state.stepId ?? '',
    location: [ctx.scenario.value.name, ...(state.stepPath ?? []), stepName],
  };
  if (state.request !== undefined) call.request = state.request;
  if (state.response !== undefined) call.response = state.response;
  if (state.cookies !== undefined) call.cookies = state.cookies;
  const { outcome, name } = await runScript(spec, call, ctx);
  applyScriptOutcome(outcome, name, state, ctx);
}

/** An extracted credential: redacted from now on in everything the run reports, this step's record included. */
function registerSecret(name: string, value: unknown, ctx: ScenarioContext): void {
  ctx.vars.markSecret(name);
  if (typeof value === 'string') ctx.redactor.add(value);
  else if (typeof value === 'number') ctx.redactor.add(String(value));
}
