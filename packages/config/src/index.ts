/**
 * @sortie/config — loading and validating input files. The Zod schemas of @sortie/core are the
 * source of truth; this package adds parsing with positions and errors that say where and what.
 */
export { formatInputError } from './format-input-error.js';
export { formatJsonPath, type PathSegment } from './json-path.js';
export { buildEnvironmentJsonSchema, buildJsonSchema, buildScenarioJsonSchema, type JsonSchemaOptions } from './json-schema.js';
export { type LoadedFile, loadEnvironment, loadScenario } from './load-file.js';
export { detectSourceFormat, parseSourceText } from './parse-source.js';
export type { LocateTarget, ParsedSource, SourceFormat } from './parsed-source.js';
export { validateSource } from './validate-source.js';
