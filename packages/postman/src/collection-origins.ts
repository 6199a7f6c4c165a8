/**
 * Where a scenario converted from a Postman collection is written in the collection, as the
 * {@link SourceOrigins} of its loaded file: errors of the run then point at the item, URL, header,
 * body, auth or script event in the user's own file, not into a converted text they never saw.
 */
import type { PathSegment, SourceOrigins } from '@sortie/config';
import type { Processor, Scenario, Step } from '@sortie/core';
import type { PmCollection } from './collection-types.js';

/** What the converter noted while it made the scenario: each object made, and where it was written. */
export interface WrittenAt {
  /** A step (request or folder group) → its `item` entry. */
  steps: Map<Step, PathSegment[]>;
  /** A script processor → the `event` entry of its level (the collection, a folder, the request). */
  scripts: Map<Processor, PathSegment[]>;
  /** An auth profile's name → the `auth` it was made from. */
  profiles: Map<string, PathSegment[]>;
  /** The error step of a request that cannot run → what cannot run (its auth, body or URL). */
  problems: Map<Step, PathSegment[]>;
}

type Origin = [from: PathSegment[], to: PathSegment[]];

/** A request step's parts, and where a v2 request item holds each. */
const STEP_PARTS: ReadonlyArray<Origin> = [
  [['name'], ['name']],
  [['request'], ['request']],
  [
    ['request', 'url'],
    ['request', 'url', 'raw'],
  ],
  [
    ['request', 'headers'],
    ['request', 'header'],
  ],
  [
    ['request', 'body'],
    ['request', 'body'],
  ],
  [['pre'], ['event']],
  [['post'], ['event']],
];

/**
 * The origins of `scenario`: each step at its item (and its parts at theirs), each script at its
 * event's `exec`, each auth profile at its auth, each default at its collection variable, the name at
 * `info.name`; anything else at the collection's root.
 */
export function collectionOrigins(scenario: Scenario, collection: PmCollection, written: WrittenAt): SourceOrigins {
  const origins: Origin[] = [
    [['name'], ['info', 'name']],
    [['defaults'], ['variable']],
  ];
  for (const [index, variable] of (collection.variable ?? []).entries()) {
    const key = variable?.key ?? variable?.id;
    if (typeof key === 'string' && key !== '')
      origins.push([
        ['defaults', key],
        ['variable', index, 'value'],
      ]);
  }
  for (const [name, at] of written.profiles) origins.push([['auth', 'profiles', name], at]);
  const visit = (steps: readonly Step[], base: PathSegment[]) => {
    for (const [index, step] of steps.entries()) {
      const path = [...base, index];
      const item = written.steps.get(step);
      if (item !== undefined) {
        origins.push([path, item]);
        origins.push(...headerOrigins(collection, item, path));
        for (const [under, at] of STEP_PARTS)
          origins.push([
            [...path, ...under],
            [...item, ...at],
          ]);
      }
      const problem = written.problems.get(step);
      if (problem !== undefined) origins.push([[...path, 'script'], problem]);
      for (const key of ['pre', 'post'] as const) {
        for (const [at, processor] of (('request' in step ? step[key] : undefined) ?? []).entries()) {
          const event = written.scripts.get(processor);
          if (event !== undefined)
            origins.push(
              [[...path, key, at], event],
              [
                [...path, key, at, 'script'],
                [...event, 'script', 'exec'],
              ],
            );
        }
      }
      if ('group' in step) visit(step.group.steps, [...path, 'group', 'steps']);
    }
  };
  visit(scenario.steps, ['steps']);
  return origins;
}

/** Each header of a request step at the value of the (last enabled) entry of that name in its item's `header` list. */
function headerOrigins(collection: PmCollection, item: readonly PathSegment[], path: readonly PathSegment[]): Origin[] {
  let node: unknown = collection;
  for (const segment of [...item, 'request', 'header']) node = (node as Record<PathSegment, unknown> | undefined)?.[segment];
  if (!Array.isArray(node)) return [];
  const at = new Map<string, number>();
  for (const [index, header] of node.entries()) {
    const entry = header as { key?: unknown; disabled?: unknown } | null;
    if (typeof entry?.key === 'string' && entry.disabled !== true) at.set(entry.key, index);
  }
  return [...at].map(([name, index]) => [
    [...path, 'request', 'headers', name],
    [...item, 'request', 'header', index, 'value'],
  ]);
}
