/**
 * From a step or processor of a scenario back to where it is written: the JSON path of every step and
 * processor (found by identity, once per scenario file), then the file's `locate` (see LoadedFile of
 * @sortie/config) for line and column, and the line's text. Used for failures only, so the index is
 * built the first time a scenario file has one.
 */
import { listScenarioSteps, type Processor, type Scenario, type SourceExcerpt, type Step } from '@sortie/core';
import type { SourceFile } from './run-options.js';

type PathSegment = string | number;

interface SourceIndex {
  paths: WeakMap<object, PathSegment[]>;
}

const indexes = new WeakMap<SourceFile<Scenario>, SourceIndex>();
/** The lines of a file's text, split once. */
const sourceLines = new WeakMap<SourceFile<object>, string[]>();

/**
 * Longest line copied into a location as its `text` (the CLI shows a long one around the column). A
 * scenario written as one line of minified JSON (660 KB for 2,000 steps) put that whole line into
 * every failed step's location: 1.4 GB of report.json for a run whose server was down.
 */
export const MAX_EXCERPT_LINE = 4096;

/**
 * The step lists a step holds, with their keys: `group.steps`, `if.then`, `if.else`, `loop.steps`,
 * `forEach.steps`, and the `teardown` of a group, loop or forEach.
 */
function childLists(step: Step): [PathSegment[], readonly Step[]][] {
  const withTeardown = (key: 'group' | 'loop' | 'forEach', body: { steps: readonly Step[]; teardown?: readonly Step[] }) => {
    const lists: [PathSegment[], readonly Step[]][] = [[[key, 'steps'], body.steps]];
    if (body.teardown !== undefined) lists.push([[key, 'teardown'], body.teardown]);
    return lists;
  };
  if ('group' in step) return withTeardown('group', step.group);
  if ('if' in step)
    return [
      [['if', 'then'], step.if.then],
      ...(step.if.else === undefined ? [] : [[['if', 'else'], step.if.else] as [PathSegment[], readonly Step[]]]),
    ];
  if ('loop' in step) return withTeardown('loop', step.loop);
  if ('forEach' in step) return withTeardown('forEach', step.forEach);
  return [];
}

function buildIndex(scenario: Scenario): SourceIndex {
  const paths = new WeakMap<object, PathSegment[]>();
  const visit = (steps: readonly Step[], base: PathSegment[]) => {
    steps.forEach((step, index) => {
      const path = [...base, index];
      paths.set(step, path);
      for (const key of ['pre', 'post'] as const) {
        const processors = (step as { pre?: Processor[]; post?: Processor[] })[key];
        for (const [at, processor] of (processors ?? []).entries()) paths.set(processor, [...path, key, at]);
      }
      for (const [keys, list] of childLists(step)) visit(list, [...path, ...keys]);
    });
  };
  for (const { key, steps } of listScenarioSteps(scenario)) visit(steps, [key]);
  return { paths };
}

/**
 * Where `node` (a step or processor of `source`), then `tail` inside it, is written; undefined when the
 * file cannot say (a plan without positions, a node not from this file).
 */
export function locateNode(source: SourceFile<Scenario>, node: object, tail: readonly PathSegment[] = []): SourceExcerpt | undefined {
  if (source.locate === undefined) return undefined;
  let index = indexes.get(source);
  if (index === undefined) {
    index = buildIndex(source.value);
    indexes.set(source, index);
  }
  const base = index.paths.get(node);
  if (base === undefined) return undefined;
  return locatePath(source, [...base, ...tail]);
}

/** Where `path` (from the file's root, e.g. `['auth', 'profiles', 'api', 'token']`) is, with its source line. */
export function locatePath(source: SourceFile<object>, path: readonly PathSegment[]): SourceExcerpt | undefined {
  if (source.locate === undefined) return undefined;
  const location: SourceExcerpt = { ...source.locate([...path]) };
  // A merged environment locates a project file's profile in the project file, whose text it does not have.
  if (source.text !== undefined && location.line !== undefined && location.file === source.file) {
    let lines = sourceLines.get(source);
    if (lines === undefined) {
      lines = source.text.split(/\r?\n/);
      sourceLines.set(source, lines);
    }
    const text = lines[location.line - 1];
    if (text !== undefined && text.length <= MAX_EXCERPT_LINE) location.text = text;
  }
  return location;
}
