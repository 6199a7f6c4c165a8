/** Validates parsed data against a Zod schema, reporting every problem with its place in the file. */
import { ErrorCode, SortieError, type SourceLocation } from '@sortie/core';
import type * as z from 'zod';
import { collectProblems } from './collect-problems.js';
import { markGeneratedMessage } from './issue-messages.js';
import { formatJsonPath } from './json-path.js';
import type { ParsedSource } from './parsed-source.js';
import type { Problem, ProblemKind } from './problem.js';
import { keepProtoVariables } from './variable-records.js';

const TITLES: Record<ProblemKind, string> = {
  missing: 'Missing property',
  unknown: 'Unknown property',
  invalid: 'Invalid value',
};

/**
 * Until the process has validated this many characters of source, it validates without Zod's
 * generated parsers. Zod compiles a parser for each object schema (`new Function`) the first time
 * one parses a value; that pays back over many objects, not for a small file: a one-request scenario
 * touched ~400 fewer pages of memory without it (a start of `sortie run` is mostly first touches of
 * pages, see BENCHMARKS.md, issue 18, branch cold2), while a 2,000-step scenario validated ~100 ms
 * slower without it. 8,192 characters are about 30 request steps with a few assertions each:
 * `sortie validate` of those ran 0.7 % fewer instructions without them, of 100 steps (24 kB) 1 %
 * more. Counted over the process, so that one validating many small files (a folder of scenarios,
 * the server's uploaded plans) compiles the parsers once and reuses them.
 */
export const GENERATED_PARSERS_FROM_LENGTH = 8192;

/** Characters of source validated so far by this process. */
let validatedLength = 0;

/**
 * Validates data against a Zod schema and returns every issue as a SortieError (INVALID_INPUT) with
 * a location `{ file, line, column, path }`, sorted by position in the file. `sourceLength`, the
 * length of the text parsed, chooses how (see GENERATED_PARSERS_FROM_LENGTH); the result is the
 * same either way.
 */
export function validateSource<T>(
  schema: z.ZodType<T>,
  parsed: ParsedSource,
  file: string,
  sourceLength = Number.POSITIVE_INFINITY,
): { value: T } | { errors: SortieError[] } {
  validatedLength += sourceLength;
  const jitless = validatedLength < GENERATED_PARSERS_FROM_LENGTH;
  const result = schema.safeParse(parsed.data, { reportInput: true, error: markGeneratedMessage, jitless });
  if (result.success) {
    keepProtoVariables(parsed.data, result.data);
    return { value: result.data };
  }
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
  return { errors: located.map(({ problem, location }) => toSortieError(problem, location, parsed.format)) };
}

function locateProblem(parsed: ParsedSource, problem: Problem, file: string): SourceLocation {
  const at = problem.key === undefined ? problem.path : [...problem.path, problem.key];
  const { line, column } = parsed.locate(at, problem.target);
  return { file, line, column, path: formatJsonPath(problem.path) };
}

function toSortieError(problem: Problem, location: SourceLocation, format: ParsedSource['format']): SortieError {
  const hint = problem.hint ?? (format === 'yaml' ? problem.yamlHint : undefined);
  const options = hint === undefined ? { location } : { location, hint };
  return new SortieError(ErrorCode.INVALID_INPUT, TITLES[problem.kind], problem.message, options);
}
