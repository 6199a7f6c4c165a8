/**
 * Turns Zod issues into problems a user can act on: one per unknown key (at the key), missing
 * properties at their parent object, and for unions only what the best-fitting branch says.
 */
import { suggestClosest } from '@sortie/core';
import type * as z from 'zod';
import { describeIssue, formatValues, hasSchemaMessage, readAllowedKeys } from './issue-messages.js';
import type { PathSegment } from './json-path.js';
import { createMissingProblem, createUnknownKeyProblems, isMissing, type Problem } from './problem.js';
import { collectUnionProblems } from './union-problems.js';

type Issue = z.core.$ZodIssue;

/** Flattens Zod issues (parsed with `reportInput`) into problems; `base` is the path the issues are relative to. */
export function collectProblems(issues: readonly Issue[], base: readonly PathSegment[] = []): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as PathSegment[])];
    if (isMissing(issue) && path.length > 0) {
      problems.push(createMissingProblem(path));
    } else if (issue.code === 'unrecognized_keys') {
      problems.push(...createUnknownKeyProblems(issue.keys, path, readAllowedKeys(issue)));
    } else if (issue.code === 'invalid_union' && !hasSchemaMessage(issue)) {
      problems.push(...collectUnionProblems(issue, path, collectProblems));
    } else if (issue.code === 'invalid_key') {
      problems.push({ kind: 'invalid', path, target: 'key', message: describeIssue(issue) });
    } else {
      const problem: Problem = { kind: 'invalid', path, target: 'value', message: describeIssue(issue) };
      if (issue.code === 'custom') problem.refinement = true;
      const suggestion = suggestValue(issue);
      if (suggestion !== undefined) problem.hint = `did you mean ${formatValues([suggestion])}?`;
      const shorthand = shorthandHint(issue, path);
      if (shorthand !== undefined) problem.hint = shorthand;
      const yaml11 = yaml11Boolean(issue);
      if (yaml11 !== undefined) problem.yamlHint = yaml11;
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

/** Selectors of an assertion that take no argument: `status: 200` is Step CI's and Hurl's habit. */
const BARE_SELECTORS = new Set(['status', 'body', 'responseTime']);

/**
 * For a scalar written where an object is expected as other tools write it (`include: parts/login.yaml`,
 * `body: '{"a": 1}'`, `assert: { status: 200 }`), the object to write instead. JSON syntax, which
 * YAML reads too.
 */
function shorthandHint(issue: Issue, path: readonly PathSegment[]): string | undefined {
  if (issue.code !== 'invalid_type' || issue.expected !== 'object') return undefined;
  const input = issue.input;
  if (input === null || typeof input === 'object') return undefined;
  const key = path.at(-1);
  const written = JSON.stringify(input);
  if (key === 'include' && typeof input === 'string') return `write "include": { "file": ${written} }`;
  if (key === 'body' && path.at(-2) === 'request' && typeof input === 'string')
    return `a body names its kind: "body": { "text": ${written} }, or { "json": … } for a JSON value`;
  if (typeof key === 'string' && BARE_SELECTORS.has(key) && path.at(-2) === 'assert')
    return `an assertion names its operator: "${key}": { "equals": ${written} }`;
  return undefined;
}

/** YAML 1.1's boolean words (yaml.org/type/bool.html); YAML 1.2's core schema (§10.3.2) has only true/false. */
const YAML11_TRUE = /^(y|Y|yes|Yes|YES|on|On|ON)$/;
const YAML11_FALSE = /^(n|N|no|No|NO|off|Off|OFF)$/;

/** For `followRedirects: yes`: the hint a YAML 1.1 (PyYAML, Ansible) habit needs. */
function yaml11Boolean(issue: Issue): string | undefined {
  if (issue.code !== 'invalid_type' || issue.expected !== 'boolean' || typeof issue.input !== 'string') return undefined;
  const value = YAML11_TRUE.test(issue.input) ? 'true' : YAML11_FALSE.test(issue.input) ? 'false' : undefined;
  return value === undefined ? undefined : `YAML 1.2 reads ${issue.input} as a string (YAML 1.1 read it as a boolean): write ${value}`;
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
