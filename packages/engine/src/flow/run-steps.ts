import { countStep, ErrorCode, type ErrorInfo, type RequestSpec, type Step, type StepKind, type StepResult } from '@sortie/core';
import { invalidHeaderName, unreadBodyFile } from '@sortie/http';
import { listVariables } from '@sortie/template';
import type { ScenarioContext } from '../context.js';
import { runDbStep } from '../db-step.js';
import { finishLeafStep } from '../finish-step.js';
import { runRequestStep, type StepPlace } from '../request-step.js';
import { runScriptStep } from '../script-step.js';
import { locateNode, locatePath, locateScriptError } from '../source-locations.js';
import { runBreakStep } from './break-step.js';
import { decideNext, type FlowFrame, type FlowSignal, placeStep, policyOf, type StepOutcome, type StepParent } from './flow-frame.js';
import { runForEachStep } from './for-each-step.js';
import { runGroupStep } from './group-step.js';
import { runIfStep } from './if-step.js';
import { runIncludeStep } from './include-step.js';
import { letSignalsIn, shouldLetSignalsIn } from './let-signals-in.js';
import { runLoopStep } from './loop-step.js';
import { renderStepName, stepKind, stepName } from './step-names.js';
import { lightenResult, skippedStep, startResult, stepStartEvent } from './step-results.js';
import { runWaitStep } from './wait-step.js';

/**
 * Runs a list of steps in order. Each step emits step:start, then (containers: after all their
 * children's events) step:end, and is counted in the totals. After a step the on-error policy
 * decides what comes next; once the list is ending (`end`, `bail`, an interrupt) the remaining steps
 * are reported as skipped, while `break` leaves the list at once for the enclosing loop.
 * Returns the light results of the steps (see lightenResult) and the signal that ended the list.
 * `start` other than `next` reports every step as skipped (a setup that failed skips the test).
 */
export async function runSteps(
  steps: readonly Step[],
  parent: StepParent,
  frame: FlowFrame,
  start: FlowSignal = 'next',
): Promise<{ children: StepResult[]; signal: FlowSignal }> {
  const { ctx } = frame;
  const children: StepResult[] = [];
  let signal: FlowSignal = start;
  let jumps = 0;
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!;
    // Not selected by --tag: as if it were not written (not run, not reported).
    if (ctx.options.deselected.has(step)) continue;
    const place = placeStep(parent, index, renderStepName(step, index, ctx));
    const kind = stepKind(step);
    ctx.emit(stepStartEvent(place, kind, ctx.key));
    if (signal === 'next' && shouldLetSignalsIn()) await letSignalsIn();
    if (signal === 'next' && ctx.signal?.aborted) signal = 'end';
    const outcome: StepOutcome = signal === 'next' ? await runStep(step, place, kind, frame) : { result: skippedStep(place, kind), signal };
    if (outcome.result.error !== undefined && outcome.result.location === undefined) {
      // An error points at what the step does: a request's URL, an include's file, a script, a db operation, a wait.
      const tail = errorTail(step, outcome.result.error);
      const location =
        locateProfileVariable(ctx, step, place, outcome.result.error) ??
        ('script' in step && tail.length === 1 && tail[0] === 'script'
          ? locateScriptError(ctx.scenario, step, tail, step.script, outcome.result.error)
          : locateNode(ctx.scenario, step, tail));
      if (location !== undefined) outcome.result.location = location;
    }
    countStep(frame.totals, outcome.result);
    ctx.emit({ type: 'step:end', scenario: ctx.key, result: outcome.result });
    children.push(lightenResult(outcome.result));
    signal = outcome.signal;
    if (ctx.nextStep !== undefined) {
      // A jump belongs to the list of the step that asked for it: consumed here whatever happens next.
      const wanted = ctx.nextStep;
      ctx.nextStep = undefined;
      if (signal === 'next') {
        const next = followNextStep(steps, wanted, ++jumps, frame);
        if (next === undefined) signal = 'end';
        else index = next - 1;
      }
    }
    if (signal === 'break') break;
  }
  return { children, signal };
}

/**
 * A variable a request step does not name but an auth profile does (a token, a password): the error points at that
 * profile field, in the scenario's `auth` (the including scenario's, for an inherited choice), else in the
 * environment's (or the project file's), not at the request's URL.
 */
function locateProfileVariable(ctx: ScenarioContext, step: Step, place: StepPlace, error: ErrorInfo) {
  if (!('request' in step) || error.code !== ErrorCode.UNRESOLVED_VARIABLE) return undefined;
  if (findUnresolvedVariable(step.request, ['request'], error) !== undefined) return undefined;
  const scenario = step.request.auth === undefined ? (place.authScenario ?? ctx.scenario) : ctx.scenario;
  for (const source of [scenario, ctx.environmentFile]) {
    const auth = source?.value.auth;
    if (source === undefined || auth === undefined) continue;
    const path = findUnresolvedVariable(auth, ['auth'], error);
    if (path !== undefined) return locatePath(source, path);
  }
  return undefined;
}

/** The part of a step an error of it points at. */
function errorTail(step: Step, error: ErrorInfo): Array<string | number> {
  if ('request' in step)
    return (
      findUnresolvedVariable(step.request, ['request'], error) ??
      bodyFileTail(step.request, error) ??
      headerTail(step.request, error) ?? ['request', 'url']
    );
  if ('db' in step) return dbErrorTail(step.db, error);
  const own = ownTemplates(step);
  const unresolved = own === undefined ? undefined : findUnresolvedVariable(own.value, own.path, error);
  if (unresolved !== undefined) return unresolved;
  if ('include' in step) return ['include', 'file'];
  const problem = ownProblemTail(step, error);
  if (problem !== undefined) return problem;
  for (const key of ['script', 'wait', 'loop', 'forEach', 'if', 'group'] as const) if (key in step) return [key];
  return [];
}

/** A container's own problem: its condition that cannot be read, its loop count, its forEach items. */
function ownProblemTail(step: Step, error: ErrorInfo): Array<string | number> | undefined {
  const condition = error.title === 'Invalid condition';
  if ('if' in step && condition) return ['if', 'condition'];
  if ('break' in step && condition && typeof step.break === 'object') return ['break'];
  if ('loop' in step) {
    if (step.loop.while !== undefined && (condition || error.title === 'Loop limit')) return ['loop', 'while'];
    if (step.loop.count !== undefined && (error.title === 'Invalid loop count' || error.title === 'Loop limit')) return ['loop', 'count'];
  }
  if ('forEach' in step && error.title === 'Not a list') return ['forEach', 'items'];
  return undefined;
}

/**
 * What a container, a `break` or a `wait` renders itself (not its child steps, which point at their
 * own errors): an `if`'s condition, a loop's `count` or `while`, a forEach's `items`, an include's
 * `variables`, a break's condition, a wait's template.
 */
function ownTemplates(step: Step): { value: object; path: Array<string | number> } | undefined {
  if ('if' in step) return { value: { condition: step.if.condition }, path: ['if'] };
  if ('loop' in step) return { value: { count: step.loop.count, while: step.loop.while }, path: ['loop'] };
  if ('forEach' in step) return { value: { items: step.forEach.items }, path: ['forEach'] };
  if ('include' in step) return { value: { variables: step.include.variables }, path: ['include'] };
  if ('break' in step) return { value: { break: step.break }, path: [] };
  if ('wait' in step) return { value: { wait: step.wait }, path: [] };
  return undefined;
}

/**
 * A body file that could not be read: the body's `file`, or the `file` of the multipart part the
 * error names (or of the only part with one, when its path was a template), not the request's URL.
 */
function bodyFileTail(request: RequestSpec, error: ErrorInfo): Array<string | number> | undefined {
  const named = unreadBodyFile(error);
  const body = request.body;
  if (named === undefined || body === undefined) return undefined;
  if (body.file !== undefined) return ['request', 'body', 'file'];
  const parts = body.multipart;
  if (parts === undefined) return undefined;
  const withFiles = parts.flatMap((part, index) => (part.file === undefined ? [] : [index]));
  const at = withFiles.find((index) => parts[index]?.file === named) ?? (withFiles.length === 1 ? withFiles[0] : undefined);
  return at === undefined ? ['request', 'body', 'multipart'] : ['request', 'body', 'multipart', at, 'file'];
}

/** The request's header an error names (a value a header cannot carry), matched as HTTP does: ignoring case. */
function headerTail(request: RequestSpec, error: ErrorInfo): Array<string | number> | undefined {
  const named = invalidHeaderName(error)?.toLowerCase();
  if (named === undefined || request.headers === undefined) return undefined;
  const key = Object.keys(request.headers).find((name) => name.toLowerCase() === named);
  return key === undefined ? undefined : ['request', 'headers', key];
}

/** Errors of a db step that are about its connection rather than its operation. */
const CONNECTION_PROBLEMS = new Set([
  'Unknown database connection',
  'Database connection failed',
  'Invalid database connection',
  'SQLite unavailable',
  'CA file not found',
]);

/**
 * The part of a db step an error points at: a template naming an unresolved variable (in `params`,
 * `redis`, `mongo`), the `connection` when it is unknown or cannot be reached, else the operation
 * itself (`sql`, `redis`, `mongo`, `transaction`), so a scenario of many statements shows which one.
 */
function dbErrorTail(db: object, error: ErrorInfo): Array<string | number> {
  const unresolved = findUnresolvedVariable(db, ['db'], error);
  if (unresolved !== undefined) return unresolved;
  if (CONNECTION_PROBLEMS.has(error.title)) return ['db', 'connection'];
  for (const key of ['sql', 'redis', 'mongo', 'transaction'] as const) if (key in db) return ['db', key];
  return ['db'];
}

/**
 * For an unresolved variable: the first template of the request (in the order written, keys too) that names the
 * variable, so the excerpt shows the header, query parameter or body value at fault rather than the URL.
 */
function findUnresolvedVariable(value: unknown, path: Array<string | number>, error: ErrorInfo): Array<string | number> | undefined {
  if (error.code !== ErrorCode.UNRESOLVED_VARIABLE || value === null || typeof value !== 'object') return undefined;
  const name = /^variable "(.*)" is not defined$/.exec(error.message)?.[1];
  if (name === undefined) return undefined;
  // The parts in the order the request is built (prepareRequest), then the rest (an inline auth profile…).
  const parts = Object.entries(value).sort(([a], [b]) => buildOrder(a) - buildOrder(b));
  for (const [key, part] of parts) {
    const found = findTemplateNaming(part, [...path, key], name);
    if (found !== undefined) return found;
  }
  return undefined;
}

const BUILD_ORDER = ['method', 'url', 'service', 'query', 'headers', 'body'];

function buildOrder(key: string): number {
  const at = BUILD_ORDER.indexOf(key);
  return at === -1 ? BUILD_ORDER.length : at;
}

function findTemplateNaming(value: unknown, path: Array<string | number>, name: string): Array<string | number> | undefined {
  if (typeof value === 'string') return namesVariable(value, name) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findTemplateNaming(item, [...path, index], name);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (namesVariable(key, name)) return [...path, key];
    const found = findTemplateNaming(item, [...path, key], name);
    if (found !== undefined) return found;
  }
  return undefined;
}

function namesVariable(template: string, name: string): boolean {
  try {
    return listVariables(template).includes(name);
  } catch {
    return false; // not a valid template: not where a variable was looked up
  }
}

/** Most jumps `setNextRequest` may make in one list: a script that always jumps back is stopped, not a hang. */
const MAX_JUMPS = 10_000;

/**
 * `pm.execution.setNextRequest(name)` / `postman.setNextRequest(name)`: the next step is the step of
 * that name (as written, not rendered) in the same list (Postman's rule, applied to the list the script's step is in); `null`
 * ends the list. As postman-runtime looks it up (waterfall.command.js, prepareLookupHash): a Postman
 * request's id first (`postmanId`), then the name, the last step of that name when several have it.
 * An unknown name, or more than MAX_JUMPS jumps, ends it with a warning.
 */
function followNextStep(steps: readonly Step[], name: string | null, jumps: number, frame: FlowFrame): number | undefined {
  const { ctx } = frame;
  if (name === null) return undefined;
  let target = steps.findIndex((step) => 'postmanId' in step && step.postmanId === name);
  if (target === -1) target = steps.findLastIndex((step, index) => stepName(step, index) === name);
  if (target === -1 || jumps > MAX_JUMPS) {
    const why = target === -1 ? `no step named "${name}" in this list` : `more than ${MAX_JUMPS} jumps`;
    ctx.emit({ type: 'log', level: 'warn', message: `setNextRequest: ${why}; the remaining steps are skipped`, scenario: ctx.key });
    return undefined;
  }
  return target;
}

/** Runs one step of any type; a bug in a step runner becomes an error result, never an exception. */
async function runStep(step: Step, place: StepPlace, kind: StepKind, frame: FlowFrame): Promise<StepOutcome> {
  try {
    return await dispatchStep(step, place, frame);
  } catch (error) {
    const result = finishLeafStep(startResult(place, kind), undefined, performance.now(), { error });
    return { result, signal: decideNext(result, policyOf(step, frame), frame) };
  }
}

async function dispatchStep(step: Step, place: StepPlace, frame: FlowFrame): Promise<StepOutcome> {
  const { ctx } = frame;
  if ('group' in step) return runGroupStep(step, place, frame);
  if ('if' in step) return runIfStep(step, place, frame);
  if ('loop' in step) return runLoopStep(step, place, frame);
  if ('forEach' in step) return runForEachStep(step, place, frame);
  if ('include' in step) return runIncludeStep(step, place, frame);
  if ('break' in step) return runBreakStep(step, place, frame);
  let result: StepResult;
  if ('request' in step) result = await runRequestStep(step, place, ctx);
  else if ('db' in step) result = await runDbStep(step, place, ctx);
  else if ('script' in step) result = await runScriptStep(step, place, ctx);
  else result = await runWaitStep(step, place, ctx);
  return { result, signal: decideNext(result, policyOf(step, frame), frame) };
}
