/** A problem of an input file before it gets a location, and the shared ways of describing keys. */
import { suggestClosest } from '@sortie/core';
import type * as z from 'zod';
import { formatValues, hasSchemaMessage } from './issue-messages.js';
import type { PathSegment } from './json-path.js';
import type { LocateTarget } from './parsed-source.js';

type Issue = z.core.$ZodIssue;

export type ProblemKind = 'missing' | 'unknown' | 'invalid';

/** One problem of an input file, before it gets a location. */
export interface Problem {
  kind: ProblemKind;
  /** The path reported: the offending value, or the object a property is missing from or unknown in. */
  path: PathSegment[];
  /** Where the line and column point: the value at `path` (default), or the key of `path` + [key]. */
  target: LocateTarget;
  /** For unknown properties: the key, which the location points at. */
  key?: string;
  message: string;
  hint?: string;
  /** A hint that holds only when the file is YAML (`yes` read as a string by YAML 1.2). */
  yamlHint?: string;
  /** Raised by a schema refinement on the object at `path` (a rule over several properties). */
  refinement?: boolean;
}

/** A required property that is absent: JSON and YAML data never hold `undefined` otherwise. */
export function isMissing(issue: Issue): boolean {
  return issue.code === 'invalid_type' && issue.input === undefined && !hasSchemaMessage(issue);
}

/** "missing required property" for the last key of `path`, reported at its parent object. */
export function createMissingProblem(path: PathSegment[]): Problem {
  return { kind: 'missing', path: path.slice(0, -1), target: 'value', message: `missing required property ${formatValues([path.at(-1)])}` };
}

/** One problem per unknown key, located at the key, listing the allowed keys and suggesting a close one. */
export function createUnknownKeyProblems(keys: readonly string[], path: PathSegment[], allowed: readonly string[]): Problem[] {
  const expected = allowed.length === 0 ? 'no properties are allowed here' : `expected one of: ${allowed.join(', ')}`;
  return keys.map((key) => {
    const problem: Problem = {
      kind: 'unknown',
      path,
      key,
      target: 'key',
      message: `unknown property ${formatValues([key])} (${expected})`,
    };
    const suggestion = suggestClosest(key, allowed);
    if (suggestion !== undefined) problem.hint = `did you mean ${formatValues([suggestion])}?`;
    return problem;
  });
}
