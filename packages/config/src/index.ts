/**
 * @sortie/config — loading and validating input files. The Zod schemas of @sortie/core are the
 * source of truth; this package adds parsing with positions and errors that say where and what.
 */
export { checkValue } from './check-value.js';
export { type DotenvFile, loadDotenvFile } from './dotenv-file.js';
export { listEnvironments, type ResolveEnvironmentOptions, resolveEnvironmentFile } from './environment-file.js';
export { formatInputError } from './format-input-error.js';
export {
  type IterationData,
  type IterationDataFormat,
  type IterationRow,
  IterationRows,
  loadIterationData,
  parseCsvRows,
  parseJsonRows,
  readIterationRows,
} from './iteration-data.js';
export { formatJsonPath, type PathSegment } from './json-path.js';
export { buildEnvironmentJsonSchema, buildJsonSchema, buildScenarioJsonSchema, type JsonSchemaOptions } from './json-schema.js';
export { type LoadedFile, type LoadOptions, loadEnvironment, loadProject, loadScenario, loadScriptLibraryManifest } from './load-file.js';
export { locateMergedEnvironment, mergeProjectEnvironment } from './merge-environment.js';
export { type CsvRecord, parseCsv } from './parse-csv.js';
export { parseDotenv } from './parse-dotenv.js';
export { parseJsonSource } from './parse-json.js';
export { detectSourceFormat, parseSourceText } from './parse-source.js';
export type { LocateTarget, ParsedSource, SourceFormat } from './parsed-source.js';
export { findProjectFile, PROJECT_FILE_NAMES } from './project-file.js';
export { type ResolveSecretsOptions, resolveSecrets, type SecretsDeclaration } from './resolve-secrets.js';
export { DEFAULT_ENVIRONMENTS_FOLDER, loadRunConfig, type RunConfig, type RunConfigOptions } from './run-config.js';
export { originLocator, originPath, type SourceOrigins } from './source-origins.js';
export { checkUtf8, checkUtf8Text } from './text-encoding.js';
export { validateSource } from './validate-source.js';
