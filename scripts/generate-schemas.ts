/**
 * Writes the JSON Schemas of schemas/ from the Zod schemas (the source of truth):
 *   pnpm schemas         regenerate schemas/*.schema.json
 *   pnpm schemas:check   exit 1 when a committed schema differs from what the Zod schemas give
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEnvironmentJsonSchema, buildJsonSchema, buildScenarioJsonSchema } from '@sortie/config';
import { AssertionSchema, ProcessorSchema, ProjectSchema, RunHookSchema, ScriptLibrarySchema } from '@sortie/core';
import { ReportSchema } from '@sortie/reporters';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'schemas');

const documents = [
  { file: 'scenario.schema.json', schema: buildScenarioJsonSchema() },
  { file: 'environment.schema.json', schema: buildEnvironmentJsonSchema() },
  {
    file: 'project.schema.json',
    schema: buildJsonSchema(ProjectSchema, {
      name: 'project',
      title: 'Sortie project file',
      description:
        'sortie.config.json: environments, reporters, script libraries, auth profiles, HTTP settings, databases and the beforeAll / afterAll hooks shared by every run of the project.',
      // The hooks' steps share the scenario format's processors and assertions, written once under $defs.
      definitions: { hook: RunHookSchema, processor: ProcessorSchema, assertion: AssertionSchema },
    }),
  },
  {
    file: 'script-library.schema.json',
    schema: buildJsonSchema(ScriptLibrarySchema, {
      name: 'script-library',
      title: 'Sortie script library',
      description: 'sortie-library.json: the name, version and scripts (with JSON Schema parameters) of a public script library.',
    }),
  },
  {
    file: 'report.schema.json',
    // Title and description come from ReportSchema's own metadata; reports are output, so defaults are filled in.
    schema: buildJsonSchema(ReportSchema, { name: 'report', io: 'output' }),
  },
];

const check = process.argv.includes('--check');
const drifted: string[] = [];
for (const { file, schema } of documents) {
  const path = join(outDir, file);
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  if (check) {
    const current = await readFile(path, 'utf8').catch(() => undefined);
    if (current !== text) drifted.push(relative(process.cwd(), path) || path);
  } else {
    await writeFile(path, text);
    process.stdout.write(`wrote ${relative(process.cwd(), path)}\n`);
  }
}
if (drifted.length > 0) {
  for (const file of drifted) process.stderr.write(`${file} is out of date with the Zod schemas\n`);
  process.stderr.write('Run `pnpm schemas` and commit the result.\n');
  process.exit(1);
}
