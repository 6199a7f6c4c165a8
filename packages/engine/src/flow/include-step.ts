import { resolve } from 'node:path';
import { ErrorCode, findDeselectedSteps, type IncludeStep, SortieError } from '@sortie/core';
import { renderValue } from '@sortie/template';
import type { ScenarioContext } from '../context.js';
import type { StepPlace } from '../step-place.js';
import { enterContainer, runContainer } from './container-step.js';
import { childParent, type FlowFrame, type StepOutcome } from './flow-frame.js';
import { runScenarioSteps } from './lifecycle.js';
import { readScenarioAuth } from './step-names.js';

/** How deep includes may nest (a file including itself stops here with an error). */
export const MAX_INCLUDE_DEPTH = 16;

/**
 * An `include`: runs another scenario file (relative to the including one) as children of this step.
 * The included steps get their own variables: environment, global and iteration data are shared,
 * the local, scenario and defaults scopes start empty; the included scenario's `defaults` are rendered
 * first; `variables` are rendered in the caller and become the included scenario's scenario variables
 * (its own `variables` fill in the rest, rendered after).
 * Names in `export` are copied back into the caller's local scope; one the included scenario did not
 * set is an error of the step. The last response of the included steps becomes the caller's. The
 * included scenario's setup and teardown run around its steps, as they do for a scenario run.
 */
export function runIncludeStep(step: IncludeStep, place: StepPlace, frame: FlowFrame): Promise<StepOutcome> {
  return runContainer(step, place, 'include', frame, async (result) => {
    const { ctx } = frame;
    if (frame.includeDepth >= MAX_INCLUDE_DEPTH) {
      throw new SortieError(ErrorCode.INVALID_INPUT, 'Include too deep', `includes nest more than ${MAX_INCLUDE_DEPTH} levels`, {
        hint: 'flatten the chain of included files',
      });
    }
    const source = frame.findInclude(resolve(ctx.scenario.dir, step.include.file));
    const options = ctx.options.render;
    const passed = renderValue(step.include.variables ?? {}, ctx.vars, options);
    const vars = ctx.vars.fork(['environment', 'global']);
    vars.clear('local');
    vars.clear('scenario');
    vars.clear('defaults');
    for (const [name, value] of Object.entries(source.value.defaults ?? {})) vars.set('defaults', name, renderValue(value, vars, options));
    for (const [name, value] of Object.entries(passed)) vars.set('scenario', name, value);
    for (const [name, value] of Object.entries(source.value.variables ?? {})) {
      if (!(name in passed)) vars.set('scenario', name, renderValue(value, vars, options));
    }
    const entered = enterContainer(step, frame);
    const inner: ScenarioContext = { ...ctx, scenario: source, vars };
    // --tag reaches into the included file: its tagged steps run when selected, or when a container around it is.
    if (ctx.options.tags.length > 0) {
      const own = findDeselectedSteps(source.value, ctx.options.tags, entered.tagSelected === true);
      inner.options = { ...ctx.options, deselected: new Set([...ctx.options.deselected, ...own]) };
    }
    // The included file's own choice is looked up in its own profiles. Without one, its steps inherit the caller's
    // choice (or the environment's default, when the caller has none) and look it up where the caller does: in the
    // caller's profiles (or those of the file that included the caller), never in the included file.
    const own = readScenarioAuth(source.value);
    const inherited = { auth: place.auth, authScenario: place.authScenario ?? ctx.scenario };
    const body = await runScenarioSteps(source.value, childParent(place, own === undefined ? inherited : { auth: own }), {
      ...entered,
      ctx: inner,
      loopDepth: 0,
      includeDepth: frame.includeDepth + 1,
    });
    if (inner.lastResponse !== undefined) ctx.lastResponse = inner.lastResponse;
    const missing: string[] = [];
    for (const name of step.include.export ?? []) {
      if (!vars.has(name)) {
        missing.push(name);
        continue;
      }
      ctx.vars.set('local', name, vars.get(name));
      result.extracted.push(name);
    }
    if (missing.length > 0) {
      const error = new SortieError(
        ErrorCode.UNRESOLVED_VARIABLE,
        'Export not set',
        `${source.file} did not set ${missing.map((m) => `"${m}"`).join(', ')}, named in "export"`,
      );
      return { ...body, error };
    }
    return body;
  });
}
