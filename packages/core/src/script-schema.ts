/**
 * Scripts: inline source, a file, or a public library script called by name with arguments; and
 * the manifest of a script library (`sortie-library.json`).
 */
import * as z from 'zod';
import { described, requireExactlyOne } from './schema-helpers.js';

export const ScriptObjectSchema = z
  .strictObject({
    source: described(z.string().optional(), 'JavaScript run in the sandbox with Postman’s `pm` API.'),
    file: described(z.string().min(1).optional(), 'Path of a .js file, relative to the scenario file.'),
    use: described(
      z
        .string()
        .regex(/^[\w.@-]+\/[\w.-]+$/, 'expected "<library>/<script>", e.g. "acme/sign-hmac"')
        .optional(),
      'A library script, `<library>/<script>`.',
    ),
    with: described(z.record(z.string(), z.unknown()).optional(), 'Arguments of a library script, checked against its parameters.'),
    name: described(z.string().optional(), 'Name shown in errors and reports.'),
  })
  .check(requireExactlyOne(['source', 'file', 'use'], 'a script'));

/** A script: inline source as a string, or `{ source | file | use, with }`. */
export const ScriptSpecSchema = z.union([z.string(), ScriptObjectSchema]);
export type ScriptSpec = z.infer<typeof ScriptSpecSchema>;

export const LibraryScriptSchema = z.strictObject({
  file: described(z.string().min(1), 'Path of the script source, relative to the manifest.'),
  description: described(z.string().optional(), 'What the library or script does.'),
  parameters: described(z.record(z.string(), z.unknown()).optional(), 'JSON Schema of `with`; arguments are validated at load time.'),
  examples: described(z.array(z.string()).optional(), 'Example scenarios run by `sortie scripts test`.'),
});

export const ScriptLibrarySchema = z.strictObject({
  $schema: described(z.string().optional(), 'The JSON Schema of this file, for editors.'),
  name: described(
    z.string().regex(/^[\w.@-]+$/, 'expected a library name of letters, digits, ".", "_", "-", "@"'),
    'The library name, the first part of `use: "<library>/<script>"`.',
  ),
  version: described(z.string().min(1), 'The library version.'),
  description: described(z.string().optional(), 'What the library or script does.'),
  scripts: described(z.record(z.string().regex(/^[\w.-]+$/), LibraryScriptSchema), 'The scripts by name.'),
});
export type ScriptLibrary = z.infer<typeof ScriptLibrarySchema>;
