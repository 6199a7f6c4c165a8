import { ErrorCode, valueKind as kind, SortieError } from '@sortie/core';

/**
 * The settings of `run(plan, settings)` a JavaScript caller can get wrong (no types there): each of
 * the wrong kind is a SORTIE_INVALID_INPUT "Invalid run setting" before anything runs, where it was a
 * TypeError from inside the run (`settings: null`, `reporters: {}`, `onEvent: 5`, `ca: 'PEM'`).
 * The options inside `settings.options` are the engine's to check ("Invalid run option").
 */
export function checkRunSettings(settings: unknown): void {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw invalid(`settings expects an object, got ${kind(settings)}`, 'leave it out, or give {} for the defaults');
  }
  const given = settings as Record<string, unknown>;
  const problem = CHECKS.map(([name, accepts, expected, hint]) =>
    given[name] === undefined || accepts(given[name]) ? undefined : invalid(`${name} expects ${expected}, got ${kind(given[name])}`, hint),
  ).find((error) => error !== undefined);
  if (problem !== undefined) throw problem;
}

function invalid(message: string, hint: string): SortieError {
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid run setting', message, { hint });
}

const isRecord = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);
const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null;
const stringsOnly = (value: unknown): boolean =>
  isRecord(value) && Object.values(value as object).every((item) => typeof item === 'string');

const CHECKS: ReadonlyArray<[name: string, accepts: (value: unknown) => boolean, expected: string, hint: string]> = [
  ['env', isRecord, 'an object of names to values', 'for example env: process.env'],
  [
    'secrets',
    stringsOnly,
    'an object of names to string values',
    'for example secrets: await resolvePlanSecrets(plan, { env: process.env })',
  ],
  ['root', (value) => typeof value === 'string', 'a folder path (a string)', "leave it out to use the plan's own root"],
  [
    'reporters',
    (value) => Array.isArray(value) && value.every(isObject),
    'a list of reporters',
    'for example reporters: [createJsonReporter({ file: "report.json" })]',
  ],
  ['onEvent', (value) => typeof value === 'function', 'a function', 'for example onEvent: (event) => console.log(event.type)'],
  ['redactor', isObject, 'a Redactor', 'leave it out, or give new Redactor()'],
  ['variables', isObject, 'a Variables', 'leave it out, or give new Variables()'],
  [
    'envVars',
    stringsOnly,
    'an object of names to string values',
    'for example envVars: { base: "http://localhost:8080" } (a value from process.env may be undefined)',
  ],
  ['globals', isRecord, 'an object of names to values', 'for example globals: { tenant: "acme" }'],
  [
    'ca',
    (value) => Array.isArray(value) && value.every((item) => typeof item === 'string'),
    'a list of PEM texts',
    'for example ca: [readFileSync("ca.pem", "utf8")]',
  ],
  ['options', (value) => value === null || isRecord(value), 'an object of run options', 'for example options: { bail: true }'],
];
