/** Validates parsed data against a Zod schema, reporting every problem with its place in the file. */
import { ErrorCode, SortieError, type SourceLocation } from '@sortie/core';
import type * as z from 'zod';
import { collectProblems } from './collect-problems.js';
import { markGeneratedMessage } from './issue-messages.js';
import { formatJsonPath } from './json-path.js';
import type { ParsedSource } from './parsed-source.js';
import type { Problem, ProblemKind } from './problem.js';

const TITLES: Record<ProblemKind, string> = {
  missing: 'Missing property',
  unknown: 'Unknown property',
  invalid: 'Invalid value',
};

/**
 * Validates data against a Zod schema and returns every issue as a SortieError (INVALID_INPUT) with
 * a location `{ file, line, column, path }`, sorted by position in the file.
 */
export function validateSource<T>(schema: z.ZodType<T>, parsed: ParsedSource, file: string): { value: T } | { errors: SortieError[] } {
  const result = schema.safeParse(parsed.data, { reportInput: true, error: markGeneratedMessage });
  if (result.success) return { value: result.data };
  const seen = new Set<string>();
  const located = collectProblems(result.error.issues)
    .map((problem, order) => ({ problem, order, location: locateProblem(parsed, problem, file) }))
    .filter(({ problem, location }) => {
      const key = `${location.path}\u0000${problem.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  located.sort(
    (a, b) => (a.location.line ?? 0) - (b.location.line ?? 0) || (a.location.column ?? 0) - (b.location.column ?? 0) || a.order - b.order,
  );
  return { errors: located.map(({ problem, location }) => toSortieError(problem, location)) };
}

function locateProblem(parsed: ParsedSource, problem: Problem, file: string): SourceLocation {
  const at = problem.key === undefined ? problem.path : [...problem.path, problem.key];
  const { line, column } = parsed.locate(at, problem.target);
  return { file, line, column, path: formatJsonPath(problem.path) };
}

function toSortieError(problem: Problem, location: SourceLocation): SortieError {
  const options = problem.hint === undefined ? { location } : { location, hint: problem.hint };
  return new SortieError(ErrorCode.INVALID_INPUT, TITLES[problem.kind], problem.message, options);
}
