/**
 * YAML parsing with source positions: the `yaml` Document keeps every node's range, and a
 * LineCounter turns offsets into lines and columns.
 */
import { ErrorCode, SortieError } from '@sortie/core';
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, visit, type YAMLError } from 'yaml';
import { type InexactNumber, isExactLiteral } from './inexact-numbers.js';
import { formatJsonPath, type PathSegment } from './json-path.js';
import { findValueNestingOverflow, findYamlNestingOverflow, NESTING_MESSAGE } from './nesting.js';
import type { LocateTarget, ParsedSource, ParseOutcome } from './parsed-source.js';

/** Aliases expanded at most this many times, against "billion laughs" documents. */
const MAX_ALIAS_COUNT = 100;

/**
 * Parses one YAML 1.2 document (core schema) keeping source positions, with YAML 1.1 merge keys
 * (`<<: *anchor`, `<<: [*a, *b]`), which docker-compose and Kubernetes files use: the mapping's own
 * keys win, then the sources in order. A merged value is located where it is written, in the anchor.
 * @see https://yaml.org/spec/1.2.2/#chapter-10-recommended-schemas
 * @see https://yaml.org/type/merge.html
 */
export function parseYamlSource(source: string, file: string): ParseOutcome {
  // A lone CR ends a line in YAML 1.2 (§5.4, b-break: https://yaml.org/spec/1.2.2/#54-line-break-characters),
  // as in the JSON line index; the yaml package
  // reads only LF and CRLF, so a file saved with CR line ends was one long line. Same length: the
  // offsets stay those of the file.
  const text = source.replace(/\r(?!\n)/g, '\n');
  const lineCounter = new LineCounter();
  const tooDeep = findYamlNestingOverflow(text);
  if (tooDeep !== undefined) {
    const lineStart = text.lastIndexOf('\n', tooDeep - 1) + 1;
    const line = text.slice(0, lineStart).split('\n').length;
    const location = { file, line, column: tooDeep - lineStart + 1 };
    return { errors: [new SortieError(ErrorCode.INVALID_INPUT, 'Syntax error', NESTING_MESSAGE, { location })] };
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const positionOf = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const first = doc.errors[0];
  if (first !== undefined) {
    const duplicate = first.code === 'DUPLICATE_KEY' ? findDuplicateKey(doc, first.pos[0]) : undefined;
    const message = duplicate === undefined ? describeYamlError(first) : `duplicate property ${JSON.stringify(duplicate.name)}`;
    const options = duplicate === undefined ? {} : { hint: `first defined at line ${positionOf(duplicate.firstOffset).line}` };
    return {
      errors: [
        new SortieError(ErrorCode.INVALID_INPUT, 'Syntax error', message, { ...options, location: { file, ...positionOf(first.pos[0]) } }),
      ],
    };
  }
  const collectionKey = findCollectionKey(doc);
  if (collectionKey !== undefined) {
    const message = `a key must be a scalar (a string, number, boolean or null), not a ${isMap(collectionKey) ? 'mapping' : 'sequence'}`;
    const location = { file, ...positionOf(collectionKey.range?.[0] ?? 0) };
    return { errors: [new SortieError(ErrorCode.INVALID_INPUT, 'Syntax error', message, { location })] };
  }
  const badMerge = findBadMergeSource(doc);
  if (badMerge !== undefined) {
    const location = { file, ...positionOf(rangeStart(badMerge) ?? 0) };
    return { errors: [new SortieError(ErrorCode.INVALID_INPUT, 'Syntax error', MERGE_SOURCE_MESSAGE, { location })] };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const { message, offset } = describeAliasError(doc, error);
    return { errors: [new SortieError(ErrorCode.INVALID_INPUT, 'Syntax error', message, { location: { file, ...positionOf(offset) } })] };
  }
  const locateOffset = (path: ReadonlyArray<PathSegment>, target: LocateTarget): number => {
    let node: unknown = doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (let depth = 0; depth < path.length; depth++) {
      const found = findChild(doc, node, path[depth]!);
      if (found === undefined) break;
      const last = depth === path.length - 1;
      const keyOffset = rangeStart(found.key);
      const valueOffset = rangeStart(found.value);
      if (last && target === 'key' && keyOffset !== undefined) return keyOffset;
      offset = valueOffset ?? keyOffset ?? offset;
      if (valueOffset === undefined) break;
      node = found.value;
    }
    return offset;
  };
  // Block sequences (`- - - -`) nest without brackets: the value is checked once built.
  const tooDeepValue = findValueNestingOverflow(data);
  if (tooDeepValue !== undefined) {
    const offset = locateOffset(tooDeepValue, 'value');
    return {
      errors: [new SortieError(ErrorCode.INVALID_INPUT, 'Syntax error', NESTING_MESSAGE, { location: { file, ...positionOf(offset) } })],
    };
  }
  const notJson = findNonJsonValue(data, []);
  if (notJson !== undefined) {
    const location = { file, ...positionOf(locateOffset(notJson.path, 'value')) };
    return { errors: [new SortieError(ErrorCode.INVALID_INPUT, 'Syntax error', notJson.message, { location })] };
  }
  const parsed: ParsedSource = {
    data,
    format: 'yaml',
    locate: (path, target = 'value') => ({ file, ...positionOf(locateOffset(path, target)), path: formatJsonPath(path) }),
  };
  const inexact = findInexactNumbers(doc.contents, []);
  if (inexact.length > 0) parsed.inexactNumbers = inexact;
  return { parsed };
}

/**
 * The numbers read as another value than written (inexact-numbers.ts), each at the path where it is
 * written: an alias or a merged key is not followed (its anchor is found where it stands).
 */
function findInexactNumbers(node: unknown, path: PathSegment[], found: InexactNumber[] = []): InexactNumber[] {
  if (isScalar(node)) {
    if (typeof node.value === 'number' && typeof node.source === 'string' && !isExactLiteral(node.source, node.value)) {
      found.push({ path: [...path], written: node.source, readAs: node.value, offset: rangeStart(node) ?? 0 });
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      findInexactNumbers(item, [...path, index], found);
    });
  } else if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || isMergeKey(pair.key)) continue;
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      findInexactNumbers(pair.value, [...path, String(key)], found);
    }
  }
  return found;
}

/**
 * The key node (for map entries) and value node at one path segment below `node`. A key a mapping
 * takes from a merge key is found in the mapping it comes from (the mapping's own keys first, then
 * its merge sources in order, as the merge applies them).
 */
function findChild(
  doc: Document,
  node: unknown,
  segment: PathSegment,
  visited = new Set<unknown>(),
): { key?: unknown; value?: unknown } | undefined {
  const resolved = isAlias(node) ? node.resolve(doc) : node;
  if (isSeq(resolved) && typeof segment === 'number') {
    const item = resolved.items[segment];
    return item === undefined ? undefined : { value: item };
  }
  if (isMap(resolved) && !visited.has(resolved)) {
    visited.add(resolved);
    for (const pair of resolved.items) {
      if (!isPair(pair) || isMergeKey(pair.key)) continue;
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (String(key) !== String(segment)) continue;
      // An alias stays unresolved here so that its own position is reported; the next step resolves it.
      return { key: pair.key, value: pair.value ?? undefined };
    }
    for (const pair of resolved.items) {
      if (!isPair(pair) || !isMergeKey(pair.key)) continue;
      for (const source of mergeSources(doc, pair.value)) {
        const found = findChild(doc, source, segment, visited);
        if (found !== undefined) return found;
      }
    }
  }
  return undefined;
}

const MERGE_SOURCE_MESSAGE = 'a merge key (<<) takes a mapping, an alias of one, or a list of them';

/** A `<<` key (plain, not quoted: a quoted "<<" is an ordinary key). */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';
}

/** The nodes a merge key's value names: the value, or each item of a sequence. */
function mergeSources(doc: Document, value: unknown): unknown[] {
  const resolved = isAlias(value) ? value.resolve(doc) : value;
  return isSeq(resolved) ? resolved.items : [value];
}

/**
 * The first merge source that is not a mapping (a scalar, a list, an alias of one): the node to point
 * at. The yaml library only says "Merge sources must be maps or map aliases", with no place. An alias
 * that resolves to nothing is left to the unresolved-alias error.
 */
function findBadMergeSource(doc: Document): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (!isMergeKey(pair.key)) return undefined;
      for (const source of mergeSources(doc, pair.value)) {
        const resolved = isAlias(source) ? source.resolve(doc) : source;
        if (resolved === undefined || isMap(resolved)) continue;
        // In a list written there, the item; else the value as written (an alias of a list: the alias).
        found = (isSeq(pair.value) ? source : (pair.value ?? pair.key)) as Node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range === undefined || range === null ? undefined : range[0];
}

/** Rewrites the yaml library's error into our style: lower case, what was expected. */
function describeYamlError(error: YAMLError): string {
  switch (error.code) {
    case 'MULTIPLE_DOCS':
      return 'expected one YAML document, found a second one after "---"';
    case 'TAB_AS_INDENT':
      return 'tabs are not allowed as indentation in YAML';
    default: {
      // The parser ran out of stack on a deeply nested document: the limit of every input is the reason.
      if (/maximum call stack/i.test(error.message)) return NESTING_MESSAGE;
      const message = error.message.replace(/\.$/, '');
      return message.charAt(0).toLowerCase() + message.slice(1);
    }
  }
}

/** The repeated key starting at `offset`, and where the same key was first defined in its mapping. */
function findDuplicateKey(doc: Document, offset: number): { name: string; firstOffset: number } | undefined {
  let result: { name: string; firstOffset: number } | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        const start = rangeStart(pair.key);
        if (start === undefined) continue;
        const name = String(isScalar(pair.key) ? pair.key.value : pair.key);
        const firstOffset = seen.get(name);
        if (start === offset && firstOffset !== undefined) {
          result = { name, firstOffset };
          return visit.BREAK;
        }
        if (firstOffset === undefined) seen.set(name, start);
      }
      return undefined;
    },
  });
  return result;
}

/** Explains why aliases could not be expanded, pointing at the offending alias when there is one. */
function describeAliasError(doc: Document, error: unknown): { message: string; offset: number } {
  const text = error instanceof Error ? error.message : '';
  if (/excessive alias count/i.test(text)) {
    return { message: `too many alias expansions (more than ${MAX_ALIAS_COUNT})`, offset: findExcessiveAlias(doc) ?? 0 };
  }
  let found: { name: string; offset: number } | undefined;
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) !== undefined) return undefined;
      found = { name: alias.source, offset: rangeStart(alias) ?? 0 };
      return visit.BREAK;
    },
  });
  if (found === undefined) return { message: 'the document cannot be read', offset: 0 };
  return { message: `unresolved alias *${found.name} (the anchor &${found.name} must be defined before it)`, offset: found.offset };
}

/**
 * The offset of the alias at which the yaml library stops expanding (its count of the anchor's uses
 * times the expansions one use costs passes the limit), found by counting as Alias.resolve does, in
 * document order, so a "billion laughs" file is refused at the line that multiplies.
 */
function findExcessiveAlias(doc: Document): number | undefined {
  const anchors = new Map<unknown, { count: number; aliasCount: number }>();
  const aliasCount = (node: unknown): number => {
    if (isAlias(node)) {
      const data = anchors.get(node.resolve(doc));
      return data === undefined ? 0 : data.count * data.aliasCount;
    }
    if (isMap(node) || isSeq(node)) return Math.max(0, ...node.items.map((item) => aliasCount(item)));
    if (isPair(node)) return Math.max(aliasCount(node.key), aliasCount(node.value));
    return 1;
  };
  let found: number | undefined;
  visit(doc, {
    Alias(_, alias) {
      const target = alias.resolve(doc);
      if (target === undefined) return undefined;
      const data = anchors.get(target) ?? { count: 0, aliasCount: 0 };
      anchors.set(target, data);
      data.count += 1;
      if (data.aliasCount === 0) data.aliasCount = aliasCount(target);
      if (data.count * data.aliasCount <= MAX_ALIAS_COUNT) return undefined;
      found = rangeStart(alias);
      return visit.BREAK;
    },
  });
  return found;
}

/** The first mapping key that is itself a mapping or a sequence (`? [a, b]`): JSON keys are strings. */
function findCollectionKey(doc: Document): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (isMap(pair.key) || isSeq(pair.key)) {
        found = pair.key;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * The first value of a parsed YAML document that JSON cannot hold, with why: `.nan` and `.inf`, and what the tags
 * `!!set`, `!!omap`, `!!binary` and `!!timestamp` build. Scenarios, plans and reports are JSON, where such values
 * silently became `null` or `{}`.
 */
function findNonJsonValue(value: unknown, path: PathSegment[]): { path: PathSegment[]; message: string } | undefined {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return undefined;
    const written = Number.isNaN(value) ? 'NaN (.nan)' : value > 0 ? 'Infinity (.inf)' : '-Infinity (-.inf)';
    return { path, message: `${written} is not a JSON value: write a number or a string` };
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNonJsonValue(value[i], [...path, i]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) {
    for (const [key, item] of Object.entries(value)) {
      const found = findNonJsonValue(item, [...path, key]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value instanceof Set) return { path, message: 'a set (!!set) is not a JSON value: write a list' };
  if (value instanceof Map) return { path, message: 'an ordered map (!!omap) is not a JSON value: write a mapping' };
  if (value instanceof Uint8Array) return { path, message: 'binary data (!!binary) is not a JSON value: write a string' };
  if (value instanceof Date) return { path, message: 'a timestamp (!!timestamp) is not a JSON value: write a string' };
  return { path, message: 'this tagged value is not a JSON value' };
}
