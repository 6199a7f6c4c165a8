/**
 * Collections produced by Postman's own converter, `openapi-to-postmanv2`, from public example
 * descriptions (fixtures/openapi/public, the OpenAPI Specification's examples): run by Sortie and by
 * Newman 6 against a Prism mock of the same description (a server Sortie's authors did not write) —
 * the same requests, the same status codes, the same tests and outcomes — and imported with
 * `sortie import postman` (goldens in fixtures/postman/expected/openapi-to-postman/).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPrismInstalled, type PrismServer, startPrism } from '@sortie/fixtures/prism';
import { ensureBuilt, expectGolden, normaliseText, ROOT, runSortie as runCli } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNewmanWithRequests, runSortie } from './side-by-side.js';

interface ConversionResult {
  result: boolean;
  reason?: string;
  output: Array<{ type: string; data: { info: { name: string } } }>;
}

interface OpenApiToPostman {
  convert(
    input: { type: 'file'; data: string },
    options: Record<string, unknown>,
    callback: (error: Error | null, result: ConversionResult) => void,
  ): void;
}

const converter = createRequire(import.meta.url)('openapi-to-postmanv2') as OpenApiToPostman;

/** Two public descriptions of the OpenAPI Specification's examples, as the converter takes them. */
const SPECS = [
  { name: 'petstore', spec: join(ROOT, 'fixtures', 'openapi', 'public', 'v3.0', 'petstore.yaml') },
  { name: 'petstore-expanded', spec: join(ROOT, 'fixtures', 'openapi', 'public', 'v3.0', 'petstore-expanded.yaml') },
];
const EXPECTED = join(ROOT, 'fixtures', 'postman', 'expected', 'openapi-to-postman');

const temp: string[] = [];
const collections = new Map<string, string>();

/** Converts a description with the converter's defaults (its documented API: `convert({ type: 'file', data }, options, cb)`). */
function convert(spec: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    converter.convert({ type: 'file', data: spec }, {}, (error, result) => {
      if (error !== null) reject(error);
      else if (!result.result) reject(new Error(`openapi-to-postmanv2 refused ${spec}: ${result.reason}`));
      else resolve(result.output[0]!.data);
    });
  });
}

beforeAll(async () => {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'sortie-oa2pm-'));
  temp.push(dir);
  for (const { name, spec } of SPECS) {
    const file = join(dir, `${name}.postman_collection.json`);
    writeFileSync(file, JSON.stringify(await convert(spec), null, 2));
    collections.set(name, file);
  }
}, 90_000);

afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!isPrismInstalled())('collections produced by openapi-to-postmanv2, against a Prism mock of the same description', () => {
  for (const { name, spec } of SPECS) {
    describe(name, () => {
      let prism: PrismServer;
      /** The produced collection, unchanged: its `baseUrl` collection variable is pointed at the mock with `--env-var`, as a Newman user does. */
      let collection: string;
      let pointAtMock: string[];
      beforeAll(async () => {
        prism = await startPrism(spec);
        collection = collections.get(name)!;
        pointAtMock = ['--env-var', `baseUrl=${prism.url}`];
      }, 90_000);
      afterAll(async () => {
        await prism?.close();
      });

      it('Sortie and Newman send the same requests and get the same status codes and test outcomes', async () => {
        const run = { collection, envVars: { baseUrl: prism.url } };
        const newman = await runNewmanWithRequests(run);
        const sortie = await runSortie(run);
        expect(newman.requests.length).toBeGreaterThanOrEqual(3);
        expect(newman.requests.some((request) => request.endsWith(':: error'))).toBe(false);
        expect(sortie.requests).toEqual(newman.requests);
        expect(sortie.tests).toEqual(newman.tests);
      });

      it('sortie run runs it (exit 0: the produced collection has no tests to fail)', async () => {
        const result = await runCli(['run', collection, ...pointAtMock, '--no-color']);
        expect(result.code, result.stderr).toBe(0);
        expect(normaliseText(result.stdout, prism.port)).toContain(`GET http://127.0.0.1:PORT/pets`);
      });

      it('sortie import postman writes the files (goldens), which run as the collection runs', async () => {
        const out = mkdtempSync(join(tmpdir(), 'sortie-oa2pm-import-'));
        temp.push(out);
        const imported = await runCli(['import', 'postman', collections.get(name)!, '--out', join(out, 'imported')]);
        expect(imported.code, imported.stderr).toBe(0);
        expectGolden(join(EXPECTED, `${name}.out`), imported.stdout.replaceAll(out, '<out>'));
        for (const file of listFiles(join(out, 'imported'))) {
          // openapi-to-postmanv2 draws a new random id for each request of each conversion: the ids are normalised.
          const written = readFileSync(join(out, 'imported', file), 'utf8').replace(/^(\s*postmanId: )[0-9a-f-]{36}$/gm, '$1<id>');
          expectGolden(join(EXPECTED, name, file), written);
        }
        const direct = await runCli(['run', collection, ...pointAtMock, '-r', 'json', '--out-dir', join(out, 'direct')]);
        const again = await runCli(['run', '.', ...pointAtMock, '-r', 'json', '--out-dir', join(out, 'again')], {
          cwd: join(out, 'imported'),
        });
        expect(again.code, again.stderr).toBe(direct.code);
        expect(requestsOf(join(out, 'again', 'report.json'))).toEqual(requestsOf(join(out, 'direct', 'report.json')));
      });
    });
  }
});

interface ReportStep {
  name: string;
  response?: { status: number };
  children?: ReportStep[];
}

/** Every request step of a JSON report as `<step> :: <status>`, in order. */
function requestsOf(reportFile: string): string[] {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { scenarios: Array<{ steps: ReportStep[] }> };
  const lines: string[] = [];
  const visit = (steps: ReportStep[]) => {
    for (const step of steps) {
      if (step.response !== undefined) lines.push(`${step.name} :: ${step.response.status}`);
      visit(step.children ?? []);
    }
  };
  for (const scenario of report.scenarios) visit(scenario.steps);
  return lines;
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]))
    .sort();
}
