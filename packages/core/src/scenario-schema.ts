/**
 * The scenario, environment and project formats — the single source of truth. TypeScript types are
 * inferred from these Zod schemas and `schemas/*.schema.json` is generated from them
 * (`pnpm schemas`); CI fails when the committed JSON Schemas drift. The pieces live in
 * assertion-, request-, processor-, step-, script-, auth-* and db-schema.ts.
 */
import * as z from 'zod';
import { AuthChoiceSchema, AuthProfilesSectionSchema } from './auth-reference-schema.js';
import { DatabaseConnectionSchema } from './db-schema.js';
import { deferred } from './deferred-schema.js';
import { HttpOptionsSchema } from './http-options-schema.js';
import { RetrySchema } from './request-schema.js';
import { requireExactlyOne } from './schema-helpers.js';
import { ON_ERROR_POLICIES, type Step, StepSchema, TagsSchema } from './step-schema.js';

export * from './assertion-schema.js';
export * from './auth-reference-schema.js';
export * from './http-options-schema.js';
export * from './processor-schema.js';
export * from './request-schema.js';
export { readExactlyOne } from './schema-helpers.js';
export * from './script-schema.js';
export * from './step-schema.js';

// ---------------------------------------------------------------------------------------------
// Scenario

export const ScenarioOptionsSchema = z.strictObject({
  onError: z
    .enum(ON_ERROR_POLICIES)
    .optional()
    .describe('What a failed or errored step does next: end (default), continue, ignore, break.'),
  timeoutRequest: z.number().int().positive().optional().describe('Default request timeout in ms (30000).'),
  followRedirects: z.boolean().optional().describe('Follow redirects (default true).'),
  maxRedirects: z.number().int().nonnegative().optional().describe('Maximum redirects followed (default 10).'),
  maxBodyInReport: z.number().int().nonnegative().optional().describe('Bytes of each body kept in reports (default 10240).'),
  maxResponseBytes: z
    .number()
    .int()
    .positive()
    .optional()
    .describe(
      'Most bytes of a response body, as received and once decompressed (default: the run’s, else 104857600): a larger one ends its step with an error.',
    ),
  retry: RetrySchema.optional().describe('Default retries of every request step.'),
  contract: z
    .strictObject({
      spec: z.string().min(1).describe('The OpenAPI 3.0/3.1 or Swagger 2.0 description (JSON or YAML), relative to the scenario file.'),
    })
    .optional()
    .describe('Check every request step’s response against this OpenAPI description, as an `openapi` assertion would.'),
  allowUnresolved: z
    .boolean()
    .optional()
    .describe('Keep an unresolved {{name}} as written instead of failing the step, as Postman does (default false).'),
});
export type ScenarioOptions = z.infer<typeof ScenarioOptionsSchema>;

export const ScenarioSchema = z.strictObject({
  $schema: z.string().optional().describe('The JSON Schema of this file, for editors; ignored by the runner.'),
  name: z.string().min(1).describe('The scenario’s name, shown in every report.'),
  description: z.string().optional().describe('Free text, not used by the runner.'),
  tags: TagsSchema.optional().describe('Tags for `sortie run --tag`: a scenario runs when one of its tags, or of its steps, is selected.'),
  variables: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Variables, rendered in the order written when each scenario run starts.'),
  defaults: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      'Default variables, below the environment: the environment, --env-var, the data row and `variables` override them, globals do not. Rendered in the order written when each scenario run starts, before `variables`. When present, Postman scripts’ pm.collectionVariables read and write them.',
    ),
  auth: z
    .union([AuthChoiceSchema, AuthProfilesSectionSchema])
    .optional()
    .describe('Profiles declared here ({ profiles, use }) or the default profile of every request.'),
  options: ScenarioOptionsSchema.optional().describe('On-error policy, timeouts, redirects, retries and report limits of this scenario.'),
  setup: z
    .array(StepSchema)
    .optional()
    .describe('Steps run before `steps`; when one fails (onError end), the steps are skipped and the teardown still runs.'),
  steps: z.array(StepSchema).describe('The steps, run in order.'),
  teardown: z
    .array(StepSchema)
    .optional()
    .describe(
      'Steps run last whatever happened before (failures, errors, onError: end, --bail, an interrupt within its grace period); they see the scenario’s variables, go on after a failure (onError continue by default), and their failures are teardown failures.',
    ),
});
export type Scenario = z.infer<typeof ScenarioSchema>;

/** The keys under which a scenario holds steps, in the order they run. */
export const SCENARIO_STEP_LISTS = ['setup', 'steps', 'teardown'] as const;

/** A scenario's step lists that are present, with their keys, in the order they run (walkers of the steps use it). */
export function listScenarioSteps(scenario: Scenario): Array<{ key: (typeof SCENARIO_STEP_LISTS)[number]; steps: Step[] }> {
  return SCENARIO_STEP_LISTS.flatMap((key) => {
    const steps = scenario[key];
    return steps === undefined ? [] : [{ key, steps }];
  });
}

// ---------------------------------------------------------------------------------------------
// Environment (this schema and those below are built on first use, `deferred`: a run without an
// environment or project file never builds them)

export const ServiceSchema = deferred(() =>
  z.union([
    z.string().min(1),
    z.strictObject({
      url: z.string().min(1).describe('Base URL of the service (a template).'),
      default: z.boolean().optional().describe('Relative URLs of requests without `service` use this one.'),
    }),
  ]),
);

const secretsField = () =>
  z
    .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name'))
    .optional()
    .describe('Variables whose values come from the process environment or a .env file, never from this file; redacted everywhere.');

/** The auth profiles, HTTP settings and database connections an environment and the project both set. */
const connectionFields = () => ({
  auth: AuthProfilesSectionSchema.optional().describe('Auth profiles by name, and the default one (use).'),
  http: HttpOptionsSchema.optional().describe('HTTP settings: HTTP/2, proxy, CAs, client certificates, cookies.'),
  databases: z
    .record(z.string(), DatabaseConnectionSchema)
    .optional()
    .describe('Named database connections for `db` steps and processors.'),
});

export const EnvironmentSchema = deferred(() =>
  z.strictObject({
    $schema: z.string().optional().describe('The JSON Schema of this file, for editors; ignored by the runner.'),
    name: z.string().optional().describe('The environment’s name, shown in reports.'),
    variables: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Variables of every scenario run in this environment; not rendered (a {{…}} stays as text).'),
    secrets: secretsField(),
    services: z.record(z.string(), ServiceSchema).optional().describe('Named base URLs: a URL, or { url, default }.'),
    ...connectionFields(),
  }),
);
export type Environment = z.infer<typeof EnvironmentSchema>;

// ---------------------------------------------------------------------------------------------
// Run hooks (sortie.config.json beforeAll / afterAll)

export const RunHookSchema = deferred(() =>
  z.union([
    z.string().min(1).describe('A scenario file, relative to the project file.'),
    z
      .strictObject({
        file: z.string().min(1).optional().describe('A scenario file, relative to the project file.'),
        steps: z.array(StepSchema).optional().describe('Steps, written here (instead of a file).'),
        export: z
          .array(z.string().min(1))
          .optional()
          .describe('beforeAll only: variables the hook set that every scenario of the run sees (as global variables).'),
      })
      .check(requireExactlyOne(['file', 'steps'], 'a hook')),
  ]),
);
export type RunHook = z.infer<typeof RunHookSchema>;

// ---------------------------------------------------------------------------------------------
// Project (sortie.config.json, found upward from the working directory)

export const ProjectSchema = deferred(() =>
  z.strictObject({
    $schema: z.string().optional().describe('The JSON Schema of this file, for editors; ignored by the runner.'),
    environments: z.string().min(1).optional().describe('Folder of environment files, relative to this file (default "environments").'),
    defaultEnvironment: z.string().min(1).optional().describe('Environment used when -e is not given.'),
    reporters: z
      .array(z.enum(['cli', 'json', 'junit', 'html']))
      .optional()
      .describe('Reporters of every run (default cli).'),
    outDir: z.string().min(1).optional().describe('Where json/junit/html reports are written (default sortie-reports).'),
    scripts: z.array(z.string().min(1)).optional().describe('Script libraries: folders (relative to this file) or npm package names.'),
    variables: z.record(z.string(), z.unknown()).optional().describe('Global variables of every run.'),
    secrets: secretsField(),
    ...connectionFields(),
    beforeAll: RunHookSchema.optional().describe(
      'Runs once before every scenario of a run (once per run, whatever --parallel; once per run plan on agents); when it fails, no scenario runs.',
    ),
    afterAll: RunHookSchema.optional().describe(
      'Runs once after every scenario of a run, even when scenarios failed or the run was interrupted.',
    ),
  }),
);
export type Project = z.infer<typeof ProjectSchema>;
