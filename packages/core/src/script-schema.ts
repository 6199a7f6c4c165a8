/**
 * Scripts: inline source, a file, or a public library script called by name with arguments; and
 * the manifest of a script library (`sortie-library.json`).
 */
import * as z from 'zod';
import { requireExactlyOne } from './schema-helpers.js';

export const ScriptObjectSchema = z
  .strictObject({
    source: z.string().optional().describe('JavaScript run in the sandbox with Postman’s `pm` API.'),
    file: z.string().min(1).optional().describe('Path of a .js file, relative to the scenario file.'),
    use: z
      .string()
      .regex(/^[\w.@-]+\/[\w.-]+$/, 'expected "<library>/<script>", e.g. "acme/sign-hmac"')
      .optional()
      .describe('A library script, `<library>/<script>`.'),
    with: z.record(z.string(), z.unknown()).optional().describe('Arguments of a library script, checked against its parameters.'),
    name: z.string().optional().describe('Name shown in errors and reports.'),
  })
  .check(requireExactlyOne(['source', 'file', 'use'], 'a script'));

/** A script: inline source as a string, or `{ source | file | use, with }`. */
export const ScriptSpecSchema = z.union([z.string(), ScriptObjectSchema]);
export type ScriptSpec = z.infer<typeof ScriptSpecSchema>;

export const LibraryScriptSchema = z.strictObject({
  file: z.string().min(1).describe('Path of the script source, relative to the manifest.'),
  description: z.string().optional().describe('What the library or script does.'),
  parameters: z.record(z.string(), z.unknown()).optional().describe('JSON Schema of `with`; arguments are validated at load time.'),
  examples: z.array(z.string()).optional().describe('Example scenarios run by `sortie scripts test`.'),
});

export const ScriptLibrarySchema = z.strictObject({
  $schema: z.string().optional().describe('The JSON Schema of this file, for editors.'),
  name: z
    .string()
    .regex(/^[\w.@-]+$/, 'expected a library name of letters, digits, ".", "_", "-", "@"')
    .describe('The library name, the first part of `use: "<library>/<script>"`.'),
  version: z.string().min(1).describe('The library version.'),
  description: z.string().optional().describe('What the library or script does.'),
  scripts: z.record(z.string().regex(/^[\w.-]+$/), LibraryScriptSchema).describe('The scripts by name.'),
});
export type ScriptLibrary = z.infer<typeof ScriptLibrarySchema>;
