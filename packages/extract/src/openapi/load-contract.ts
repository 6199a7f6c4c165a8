import { Contract } from './contract.js';
import { type LoadDocumentOptions, loadOpenApiDocument } from './load-document.js';

/**
 * Loads and compiles the contract of an OpenAPI description (absolute `path`). JSON Schema support
 * must be loaded first (`loadSelectorSupport({ schema: true })`).
 * @throws SortieError INVALID_INPUT for a description that cannot be read, resolved or validated.
 */
export async function loadContract(path: string, options: LoadDocumentOptions): Promise<Contract> {
  const loaded = await loadOpenApiDocument(path, options);
  return new Contract(loaded, options.display?.(path) ?? path);
}
