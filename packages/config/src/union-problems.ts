/**
 * A failed union is reported by what fits the value best, not as a wall of alternatives:
 * - every branch rejects the value's type → one problem listing what is accepted;
 * - some branch matches the value's shape (its problems are deeper inside) → that branch's problems;
 * - no branch matches the shape (each has unknown or missing keys at the top) → the keys the
 *   branches would need, and the keys no branch knows.
 */
import { suggestClosest } from '@sortie/core';
import type * as z from 'zod';
import { describeValue, joinAlternatives } from './describe-value.js';
import { describeExpectedType, describeIssue, formatValues, readAllowedKeys } from './issue-messages.js';
import type { PathSegment } from './json-path.js';
import { createMissingProblem, createUnknownKeyProblems, isMissing, type Problem } from './problem.js';

type Issue = z.core.$ZodIssue;
type CollectProblems = (issues: readonly Issue[], base: readonly PathSegment[]) => Problem[];

/** Problems for an invalid_union issue at `path`; `collect` handles the issues of the chosen branch. */
export function collectUnionProblems(issue: z.core.$ZodIssueInvalidUnion, path: PathSegment[], collect: CollectProblems): Problem[] {
  const branches = flattenBranches(issue.errors);
  if (branches.length === 0) return [describeUnmatchedUnion(issue, path)];
  if (branches.every(isTypeMismatch)) {
    if (issue.input === undefined && path.length > 0) return [createMissingProblem(path)];
    const message = describeAlternatives(
      branches.map((branch) => branch[0]!),
      issue.input,
    );
    return [{ kind: 'invalid', path, target: 'value', message }];
  }
  const scored = branches.map((branch) => ({ branch, score: scoreBranch(branch) }));
  const best = scored.reduce((a, b) => (b.score[0] < a.score[0] || (b.score[0] === a.score[0] && b.score[1] < a.score[1]) ? b : a));
  if (best.score[0] > 0) {
    const shapeProblems = describeShapeMismatch(
      scored.filter(({ branch }) => !isTypeMismatch(branch)).map(({ branch }) => branch),
      path,
    );
    if (shapeProblems.length > 0) return shapeProblems;
  }
  return collect(best.branch, path);
}

/** A branch that rejected the value itself (wrong type or wrong literal), not something inside it. */
function isTypeMismatch(branch: readonly Issue[]): boolean {
  const only = branch[0];
  return (
    branch.length === 1 && only !== undefined && only.path.length === 0 && (only.code === 'invalid_type' || only.code === 'invalid_value')
  );
}

/**
 * How much a top-level issue says the value does not have the branch's shape: each unknown key
 * counts, and so does a required key that is absent (whatever kind of schema it has) — so a step
 * with `request` and a typo deep inside is a request step, not a `break` step missing its key.
 */
function structuralWeight(issue: Issue): number {
  if (issue.path.length === 0) {
    if (issue.code === 'unrecognized_keys') return issue.keys.length;
    return issue.code === 'invalid_type' ? 1 : 0;
  }
  if (issue.path.length !== 1) return 0;
  if (isMissing(issue) || issue.code === 'invalid_value') return 1;
  if (issue.code !== 'invalid_union') return 0;
  // A discriminated union whose discriminator (absent or unknown) matches no option tried none.
  return issue.input === undefined || (issue.errors.length === 0 && 'discriminator' in issue) ? 1 : 0;
}

/**
 * The branches of a union, with a branch that is itself a union rejecting the whole value replaced by
 * its own branches: `("none" | name | inline profile) | { profiles, use }` is weighed as four shapes.
 */
function flattenBranches(branches: ReadonlyArray<readonly Issue[]>): Issue[][] {
  return branches.flatMap((branch) => {
    const only = branch[0];
    if (branch.length === 1 && only?.code === 'invalid_union' && only.path.length === 0 && only.errors.length > 0) {
      return flattenBranches(only.errors);
    }
    return [[...branch]];
  });
}

/**
 * Lower is more relevant: [structural mismatches, issue count]. A branch whose problems are all
 * deep inside the value matched its shape; one with unknown or missing keys at the top did not.
 */
function scoreBranch(branch: readonly Issue[]): [number, number] {
  if (isTypeMismatch(branch)) return [Number.POSITIVE_INFINITY, branch.length];
  return [branch.reduce((sum, issue) => sum + structuralWeight(issue), 0), branch.length];
}

/** When no object branch fits: one of the required keys is missing, and keys unknown to every branch. */
function describeShapeMismatch(branches: ReadonlyArray<readonly Issue[]>, path: PathSegment[]): Problem[] {
  const problems: Problem[] = [];
  const missing = branches.map((branch) => branch.filter((i) => i.path.length === 1 && isMissing(i)).map((i) => String(i.path[0])));
  if (missing.every((keys) => keys.length > 0)) {
    const alternatives = [...new Set(missing.map((keys) => keys.join('" and "')))];
    const message =
      alternatives.length === 1
        ? `missing required property "${alternatives[0]}"`
        : `missing one of the properties ${joinAlternatives(alternatives.map((a) => `"${a}"`))}`;
    problems.push({ kind: 'missing', path, target: 'value', message });
  }
  const unknownByBranch = branches.map(
    (branch) => new Set(branch.flatMap((i) => (i.path.length === 0 && i.code === 'unrecognized_keys' ? i.keys : []))),
  );
  const unknownEverywhere = [...(unknownByBranch[0] ?? [])].filter((key) => unknownByBranch.every((keys) => keys.has(key)));
  if (unknownEverywhere.length > 0) {
    const allowed = [
      ...new Set(
        branches.flatMap((branch) =>
          branch.flatMap((i) => (i.path.length === 0 && i.code === 'unrecognized_keys' ? readAllowedKeys(i) : [])),
        ),
      ),
    ];
    problems.push(...createUnknownKeyProblems(unknownEverywhere, path, allowed));
  }
  return problems;
}

/** A discriminated union whose discriminator matches no option. */
function describeUnmatchedUnion(issue: z.core.$ZodIssueInvalidUnion, path: PathSegment[]): Problem {
  const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
  if (discriminator !== undefined && options !== undefined) {
    const object = issue.input as Record<string, unknown> | undefined;
    const at = path.at(-1) === discriminator ? path : [...path, discriminator];
    const actual = object !== null && typeof object === 'object' ? object[discriminator] : undefined;
    if (actual === undefined) return createMissingProblem(at);
    const problem: Problem = {
      kind: 'invalid',
      path: at,
      target: 'value',
      message: `expected one of ${formatValues(options)}, got ${describeValue(actual)}`,
    };
    const names = options.filter((option): option is string => typeof option === 'string');
    const suggestion = typeof actual === 'string' ? suggestClosest(actual, names) : undefined;
    if (suggestion !== undefined) problem.hint = `did you mean ${formatValues([suggestion])}?`;
    return problem;
  }
  return { kind: 'invalid', path, target: 'value', message: describeIssue(issue) };
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
