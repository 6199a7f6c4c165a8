/**
 * From a step or processor of a scenario back to where it is written: the JSON path of every step and
 * processor (found by identity, once per scenario file), then the file's `locate` (see LoadedFile of
 * @sortie/config) for line and column, and the line's text. Used for failures only, so the index is
 * built the first time a scenario file has one.
 */
import {
  listScenarioSteps,
  type Processor,
  type Scenario,
  type ScriptSpec,
  type SourceExcerpt,
  type SourceLocation,
  type Step,
} from '@sortie/core';
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

/** A place in a file's lines: 0-based line and character. */
interface TextPlace {
  line: number;
  char: number;
}

/**
 * Where line `line`, column `column` (1-based) of an inline script is written in the file, `at`
 * being where the script is: a JSON string (`"script": "…\n…"`), or an array of strings, one a line
 * — the `exec` of a Postman collection's event, which the script's lines were joined from. Undefined
 * when `at` is neither (a YAML block, a file script) or the script's line is not in it (a level whose
 * scripts of one kind were joined from several events): the caller keeps `at`.
 */
export function locateInScript(source: SourceFile<object>, at: SourceExcerpt, line: number, column: number): SourceExcerpt | undefined {
  if (source.text === undefined || at.file !== source.file || at.line === undefined || at.column === undefined) return undefined;
  let lines = sourceLines.get(source);
  if (lines === undefined) {
    lines = source.text.split(/\r?\n/);
    sourceLines.set(source, lines);
  }
  const text = lines;
  let place: TextPlace = { line: at.line - 1, char: at.column - 1 };
  let inArray = false;
  let element = 0;
  const charAt = (p: TextPlace): string | undefined => text[p.line]?.[p.char];
  const skipSpace = (p: TextPlace): TextPlace => {
    const next = { ...p };
    for (;;) {
      const current = text[next.line];
      if (current === undefined) return next;
      while (next.char < current.length && /\s/.test(current[next.char] ?? '')) next.char++;
      if (next.char < current.length) return next;
      next.line++;
      next.char = 0;
    }
  };
  const found = (p: TextPlace): SourceExcerpt => {
    const excerpt: SourceExcerpt = { file: at.file, line: p.line + 1, column: p.char + 1 };
    // In an array of lines, the path names the element (`$.item[0].event[0].script.exec[3]`).
    if (at.path !== undefined) excerpt.path = inArray ? `${at.path}[${element}]` : at.path;
    const lineText = text[p.line];
    if (lineText !== undefined && lineText.length <= MAX_EXCERPT_LINE) excerpt.text = lineText;
    return excerpt;
  };
  if (charAt(place) === '|') {
    const block = inLiteralBlock(text, place, line, column);
    return block === undefined ? undefined : found(block);
  }
  inArray = charAt(place) === '[';
  if (inArray) place = skipSpace({ line: place.line, char: place.char + 1 });
  let scriptLine = 1;
  let scriptColumn = 1;
  for (;;) {
    if (charAt(place) !== '"') return undefined;
    // One JSON string (RFC 8259 §7: it never spans lines), read escape by escape.
    const raw = text[place.line] ?? '';
    let char = place.char + 1;
    while (char < raw.length && raw[char] !== '"') {
      if (scriptLine === line && scriptColumn === column) return found({ line: place.line, char });
      let decoded = raw[char];
      if (decoded === '\\') {
        const escaped = raw[char + 1];
        decoded =
          escaped === 'n' ? '\n' : escaped === 'u' ? String.fromCharCode(Number.parseInt(raw.slice(char + 2, char + 6), 16)) : escaped;
        char += escaped === 'u' ? 6 : 2;
      } else char++;
      if (decoded === '\n') {
        if (scriptLine === line) return found({ line: place.line, char: char - 2 });
        scriptLine++;
        scriptColumn = 1;
      } else scriptColumn++;
    }
    // A string that does not end on its line is not a JSON one (a YAML string folded over lines).
    if (char >= raw.length) return undefined;
    // The column just past the line's last character (QuickJS points there at an unexpected end).
    if (scriptLine === line) return found({ line: place.line, char });
    if (!inArray) return undefined;
    place = skipSpace({ line: place.line, char: char + 1 });
    if (charAt(place) !== ',') return undefined;
    place = skipSpace({ line: place.line, char: place.char + 1 });
    element++;
    scriptLine++;
    scriptColumn = 1;
  }
}

/**
 * Where the error of an inline script (`script` of `node`, at `tail`) happened in the file: the line
 * and column of the script the error names, inside the string or the `exec` array the script is
 * written as; else where the script is.
 */
export function locateScriptError(
  source: SourceFile<Scenario>,
  node: object,
  tail: readonly PathSegment[],
  script: ScriptSpec,
  error: { location?: SourceLocation } | undefined,
): SourceExcerpt | undefined {
  const inline = typeof script === 'string' ? tail : script.source !== undefined ? [...tail, 'source'] : undefined;
  const at = locateNode(source, node, inline ?? tail);
  const { line, column } = error?.location ?? {};
  if (at === undefined || inline === undefined || line === undefined || column === undefined) return at;
  try {
    return locateInScript(source, at, line, column) ?? at;
  } catch {
    // Finding the line is a refinement: a failure to find it keeps the script's place.
    return at;
  }
}

/**
 * Line `line`, column `column` of a script written as a YAML literal block (`script: |`, `|-`, `|+`;
 * YAML 1.2 §8.1.2: each line is the file's line less the block's indentation, which its first
 * non-empty line sets). Undefined for an explicit indentation indicator or a line past the block.
 */
function inLiteralBlock(text: readonly string[], header: TextPlace, line: number, column: number): TextPlace | undefined {
  if (!/^\|[-+]?\s*(?:#.*)?$/.test((text[header.line] ?? '').slice(header.char))) return undefined;
  const first = text.slice(header.line + 1).find((content) => content.trim() !== '');
  const indent = first === undefined ? 0 : first.length - first.trimStart().length;
  if (indent === 0) return undefined;
  for (let at = header.line + 1; at <= header.line + line; at++) {
    const content = text[at];
    if (content === undefined) return undefined;
    if (content.trim() !== '' && content.length - content.trimStart().length < indent) return undefined;
  }
  return { line: header.line + line, char: indent + column - 1 };
}
