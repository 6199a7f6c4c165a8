/**
 * Turns Zod issues into problems a user can act on: one per unknown key (at the key), missing
 * properties at their parent object, and for unions only the branch that best fits the input.
 */
import type * as z from 'zod';
import { describeValue, joinAlternatives, suggestClosest } from './describe-value.js';
import { describeExpectedType, describeIssue, formatValues, hasSchemaMessage, readAllowedKeys } from './issue-messages.js';
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
  /** Raised by a schema refinement on the object at `path` (a rule over several properties). */
  refinement?: boolean;
}

/** Flattens Zod issues (with `reportInput`) into problems; `base` is the path the issues are relative to. */
export function collectProblems(issues: readonly Issue[], base: readonly PathSegment[] = []): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as PathSegment[])];
    if (isMissing(issue) && path.length > 0) {
      problems.push({
        kind: 'missing',
        path: path.slice(0, -1),
        target: 'value',
        message: `missing required property ${formatValues([path.at(-1)])}`,
      });
    } else if (issue.code === 'unrecognized_keys') {
      problems.push(...describeUnknownKeys(issue, path));
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0 && !hasSchemaMessage(issue)) {
      problems.push(...collectUnionProblems(issue, path));
    } else if (issue.code === 'invalid_key') {
      problems.push({ kind: 'invalid', path, target: 'key', message: describeIssue(issue) });
    } else {
      const problem: Problem = { kind: 'invalid', path, target: 'value', message: describeIssue(issue) };
      if (issue.code === 'custom') problem.refinement = true;
      const suggestion = suggestValue(issue);
      if (suggestion !== undefined) problem.hint = `did you mean ${formatValues([suggestion])}?`;
      problems.push(problem);
    }
  }
  return dropExplainedRefinements(problems);
}

/** For a misspelled enum value, the allowed value it most likely meant. */
function suggestValue(issue: Issue): string | undefined {
  if (issue.code !== 'invalid_value' || typeof issue.input !== 'string') return undefined;
  const candidates = issue.values.filter((value): value is string => typeof value === 'string');
  return suggestClosest(issue.input, candidates);
}

/**
 * A misspelled key ("jsonpth") also breaks the object's own rule ("expected one of … in an
 * assertion"). The typo explains both, so the rule's message is left out.
 */
function dropExplainedRefinements(problems: Problem[]): Problem[] {
  const typoPaths = new Set(problems.filter((p) => p.kind === 'unknown' && p.hint !== undefined).map((p) => JSON.stringify(p.path)));
  if (typoPaths.size === 0) return problems;
  return problems.filter((p) => !(p.refinement === true && typoPaths.has(JSON.stringify(p.path))));
}

/** A required property that is absent: JSON and YAML data never hold `undefined` otherwise. */
function isMissing(issue: Issue): boolean {
  return issue.code === 'invalid_type' && issue.input === undefined && !hasSchemaMessage(issue);
}

function describeUnknownKeys(issue: z.core.$ZodIssueUnrecognizedKeys, path: PathSegment[]): Problem[] {
  const allowed = readAllowedKeys(issue);
  const expected = allowed.length === 0 ? 'no properties are allowed here' : `expected one of: ${allowed.join(', ')}`;
  return issue.keys.map((key) => {
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

/**
 * Reports a failed union by its most relevant branch. When every branch rejects the value's type
 * outright, one problem lists what would have been accepted ("expected a string or an object").
 */
function collectUnionProblems(issue: z.core.$ZodIssueInvalidUnion, path: PathSegment[]): Problem[] {
  const branches = issue.errors;
  if (branches.every(isTypeMismatch)) {
    if (issue.input === undefined && path.length > 0) {
      return [
        { kind: 'missing', path: path.slice(0, -1), target: 'value', message: `missing required property ${formatValues([path.at(-1)])}` },
      ];
    }
    return [
      {
        kind: 'invalid',
        path,
        target: 'value',
        message: describeAlternatives(
          branches.map((branch) => branch[0]!),
          issue.input,
        ),
      },
    ];
  }
  let best: readonly Issue[] = branches[0]!;
  let bestScore = scoreBranch(best);
  for (const branch of branches.slice(1)) {
    const score = scoreBranch(branch);
    if (score[0] < bestScore[0] || (score[0] === bestScore[0] && score[1] < bestScore[1])) {
      best = branch;
      bestScore = score;
    }
  }
  return collectProblems(best, path);
}

/** A branch that rejected the value itself (wrong type or wrong literal), not something inside it. */
function isTypeMismatch(branch: readonly Issue[]): boolean {
  const only = branch[0];
  return (
    branch.length === 1 && only !== undefined && only.path.length === 0 && (only.code === 'invalid_type' || only.code === 'invalid_value')
  );
}

/**
 * Lower is more relevant: [structural mismatches, issue count]. A branch whose problems are all
 * deep inside the value matched its shape; one with unknown or missing keys at the top did not.
 */
function scoreBranch(branch: readonly Issue[]): [number, number] {
  if (isTypeMismatch(branch)) return [Number.POSITIVE_INFINITY, branch.length];
  let structural = 0;
  for (const issue of branch) {
    if (issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'unrecognized_keys')) structural++;
    else if (issue.path.length === 1 && (isMissing(issue) || issue.code === 'invalid_value')) structural++;
  }
  return [structural, branch.length];
}

function describeAlternatives(issues: readonly Issue[], input: unknown): string {
  const values: unknown[] = [];
  const types: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_value') values.push(...issue.values);
    else if (issue.code === 'invalid_type') types.push(describeExpectedType(issue.expected));
  }
  const got = `, got ${describeValue(input)}`;
  if (types.length === 0) return `expected one of ${formatValues(values)}${got}`;
  const alternatives = [...new Set([...values.map((value) => formatValues([value])), ...types])];
  return `expected ${joinAlternatives(alternatives)}${got}`;
}
