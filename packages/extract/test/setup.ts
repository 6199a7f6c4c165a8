// Selectors use XML and JSON Schema support synchronously once loaded; the engine loads them before a run.
import { loadSelectorSupport } from '../src/index.js';

await loadSelectorSupport();
