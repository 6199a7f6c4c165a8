export { BUILTIN_MODULES, BUNDLED_LIBRARIES, DEFAULT_LIBRARIES_DIR } from './libraries.js';
export { createSandbox } from './sandbox.js';
export type {
  CollectionScope,
  Sandbox,
  SandboxOptions,
  ScriptContext,
  ScriptCookieWrite,
  ScriptForm,
  ScriptFormField,
  ScriptGraphql,
  ScriptLog,
  ScriptOutcome,
  ScriptRequest,
  ScriptScope,
  ScriptVariables,
} from './types.js';
