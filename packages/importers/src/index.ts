/**
 * @sortie/importers — existing suites as Sortie files: OpenAPI 3.0/3.1 and Swagger 2.0
 * descriptions, HAR files and curl commands. Libraries: they return values (and serialise them),
 * the CLI writes the files and prints the notes.
 */

export { type CapturedRequest, importCapturedRequests } from './capture/captured-request.js';
export { type ImportCurlOptions, importCurl } from './capture/import-curl.js';
export { type ImportHarOptions, importHar } from './capture/import-har.js';
export {
  type ImportedFile,
  type ImportedFileKind,
  type ImportedSecret,
  type ImportFormat,
  type ImportResult,
  serializeImport,
} from './import-result.js';
export { type ImportOpenApiOptions, importOpenApi } from './openapi/import-openapi.js';
