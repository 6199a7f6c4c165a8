/**
 * @sortie/postman — Postman collections (v2.0 / v2.1, and v3 folders), environments and globals as Sortie inputs:
 * conversion into the scenario and environment the loader produces, so a collection runs with
 * everything downstream shared (reporters, agents), and the files `sortie import postman` writes.
 */
export type { PmCollection, PmVariableFile } from './collection-types.js';
export { authParams, type ConvertedAuth, convertAuth, NoCredential, UnsupportedAuth } from './convert-auth.js';
export {
  type ConversionNote,
  type ConvertCollectionOptions,
  type ConvertedCollection,
  convertCollection,
  convertVariables,
} from './convert-collection.js';
export { type ConvertedVariableFile, convertVariableFile } from './convert-variables-file.js';
export { collectionSchemaVersion, detectPostmanText, detectPostmanValue, isV3CollectionDir, type PostmanFileKind } from './detect.js';
export {
  type ImportedFiles,
  type ImportedSecret,
  type ImportFormat,
  type ImportPostmanOptions,
  importPostman,
} from './import-collection.js';
export {
  type LoadCollectionOptions,
  type LoadedCollection,
  type LoadedPostmanEnvironment,
  loadCollectionFile,
  loadEnvironmentFile,
  readGlobalsFile,
  toEnvironment,
} from './load.js';
export { emptySecretValues } from './secret-values.js';
export type { ImportedVariable } from './unset-variables.js';
