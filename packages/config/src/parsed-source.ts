/** The result of parsing an input file: its data, and a way back from a JSON path to a place in the text. */
import type { SortieError, SourceLocation } from '@sortie/core';
import type { InexactNumber } from './inexact-numbers.js';
import type { PathSegment } from './json-path.js';

export type SourceFormat = 'json' | 'yaml';

/** Which part of an object member to point at: its value (default) or its key. */
export type LocateTarget = 'value' | 'key';

export interface ParsedSource {
  /** The parsed document (plain JSON data: objects, arrays, strings, numbers, booleans, null). */
  data: unknown;
  format: SourceFormat;
  /**
   * Location of the value at `path` (or of its key with `target` "key"). When the path is not in the
   * file, the line and column are those of its nearest existing ancestor; `path` is always the one asked for.
   */
  locate(path: ReadonlyArray<PathSegment>, target?: LocateTarget): SourceLocation;
  /** The numbers read as another value than written (beyond binary64's precision), when there are any. */
  inexactNumbers?: InexactNumber[];
}

/** Parsing either gives a source or the syntax errors found, each with a location. */
export type ParseOutcome = { parsed: ParsedSource } | { errors: SortieError[] };
