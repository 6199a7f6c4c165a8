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
import { described, requireExactlyOne } from './schema-helpers.js';
import { SECRET_NAME, SECRET_NAME_RULE } from './secret-name.js';
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
  onError: described(
    z.enum(ON_ERROR_POLICIES).optional(),
    'What a failed or errored step does next: end (default), continue, ignore, break.',
  ),
  timeoutRequest: described(z.number().int().positive().optional(), 'Default request timeout in ms (30000).'),
  followRedirects: described(z.boolean().optional(), 'Follow redirects (default true).'),
  maxRedirects: described(z.number().int().nonnegative().optional(), 'Maximum redirects followed (default 10).'),
  maxBodyInReport: described(z.number().int().nonnegative().optional(), 'Bytes of each body kept in reports (default 10240).'),
  maxResponseBytes: described(
    z.number().int().positive().optional(),
    'Most bytes of a response body, as received and once decompressed (default: the run’s, else 104857600): a larger one ends its step with an error.',
  ),
  retry: described(RetrySchema.optional(), 'Default retries of every request step.'),
  contract: described(
    z
      .strictObject({
        spec: described(z.string().min(1), 'The OpenAPI 3.0/3.1 or Swagger 2.0 description (JSON or YAML), relative to the scenario file.'),
      })
      .optional(),
    'Check every request step’s response against this OpenAPI description, as an `openapi` assertion would.',
  ),
  allowUnresolved: described(
    z.boolean().optional(),
    'Keep an unresolved {{name}} as written instead of failing the step, as Postman does (default false).',
  ),
  objectsInText: described(
    z.enum(['json', 'string']).optional(),
    'How an object or array variable is written inside text (a URL, a header, a text or form body, an auth field): json (default) its JSON text; string what JavaScript’s String() gives, [object Object] for an object and 1,2 for [1, 2], as Postman and Newman send it. Postman collections run with string.',
  ),
  carryVariables: described(
    z.boolean().optional(),
    'Start each run of this scenario (each iteration) with the local, scenario and defaults variables its last run left, as Newman does with a collection’s variables (default false: every run starts from the values written here). Postman collections run with it.',
  ),
  defaultScheme: described(
    z.enum(['http', 'https']).optional(),
    'Scheme of a request URL written without one (`example.com/items`, once rendered): it is sent as `http://example.com/items`, as Postman does. Without it such a URL is relative and needs a service. A URL starting with `/` stays relative.',
  ),
});
export type ScenarioOptions = z.infer<typeof ScenarioOptionsSchema>;

export const ScenarioSchema = z.strictObject({
  $schema: described(z.string().optional(), 'The JSON Schema of this file, for editors; ignored by the runner.'),
  name: described(z.string().min(1), 'The scenario’s name, shown in every report.'),
  description: described(z.string().optional(), 'Free text, not used by the runner.'),
  tags: described(
    TagsSchema.optional(),
    'Tags for `sortie run --tag`: a scenario runs when one of its tags, or of its steps, is selected.',
  ),
  variables: described(
    z.record(z.string(), z.unknown()).optional(),
    'Variables, rendered in the order written when each scenario run starts.',
  ),
  defaults: described(
    z.record(z.string(), z.unknown()).optional(),
    'Default variables, below the environment: the environment, --env-var, the data row and `variables` override them, globals do not. Rendered in the order written when each scenario run starts, before `variables`. When present, Postman scripts’ pm.collectionVariables read and write them.',
  ),
  auth: described(
    z.union([AuthChoiceSchema, AuthProfilesSectionSchema]).optional(),
    'Profiles declared here ({ profiles, use }) or the default profile of every request.',
  ),
  options: described(ScenarioOptionsSchema.optional(), 'On-error policy, timeouts, redirects, retries and report limits of this scenario.'),
  setup: described(
    z.array(StepSchema).optional(),
    'Steps run before `steps`; when one fails (onError end), the steps are skipped and the teardown still runs.',
  ),
  steps: described(z.array(StepSchema), 'The steps, run in order.'),
  teardown: described(
    z.array(StepSchema).optional(),
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
      url: described(z.string().min(1), 'Base URL of the service (a template).'),
      default: described(z.boolean().optional(), 'Relative URLs of requests without `service` use this one.'),
    }),
  ]),
);

const secretsField = () =>
  described(
    z.array(z.string().regex(SECRET_NAME, `expected a name a .env file can set: ${SECRET_NAME_RULE}`)).optional(),
    'Variables whose values come from the process environment or a .env file, never from this file; redacted everywhere.',
  );

/** The auth profiles, HTTP settings and database connections an environment and the project both set. */
const connectionFields = () => ({
  auth: described(AuthProfilesSectionSchema.optional(), 'Auth profiles by name, and the default one (use).'),
  http: described(HttpOptionsSchema.optional(), 'HTTP settings: HTTP/2, proxy, CAs, client certificates, cookies.'),
  databases: described(
    z.record(z.string(), DatabaseConnectionSchema).optional(),
    'Named database connections for `db` steps and processors.',
  ),
});

export const EnvironmentSchema = deferred(() =>
  z.strictObject({
    $schema: described(z.string().optional(), 'The JSON Schema of this file, for editors; ignored by the runner.'),
    name: described(z.string().optional(), 'The environment’s name, shown in reports.'),
    variables: described(
      z.record(z.string(), z.unknown()).optional(),
      'Variables of every scenario run in this environment; not rendered (a {{…}} stays as text).',
    ),
    secrets: secretsField(),
    services: described(z.record(z.string(), ServiceSchema).optional(), 'Named base URLs: a URL, or { url, default }.'),
    ...connectionFields(),
  }),
);
export type Environment = z.infer<typeof EnvironmentSchema>;

// ---------------------------------------------------------------------------------------------
// Run hooks (sortie.config.json beforeAll / afterAll)

export const RunHookSchema = deferred(() =>
  z.union([
    described(z.string().min(1), 'A scenario file, relative to the project file.'),
    z
      .strictObject({
        file: described(z.string().min(1).optional(), 'A scenario file, relative to the project file.'),
        steps: described(z.array(StepSchema).optional(), 'Steps, written here (instead of a file).'),
        export: described(
          z.array(z.string().min(1)).optional(),
          'beforeAll only: variables the hook set that every scenario of the run sees (as global variables).',
        ),
      })
      .check(requireExactlyOne(['file', 'steps'], 'a hook')),
  ]),
);
export type RunHook = z.infer<typeof RunHookSchema>;

// ---------------------------------------------------------------------------------------------
// Project (sortie.config.json, found upward from the working directory)

export const ProjectSchema = deferred(() =>
  z.strictObject({
    $schema: described(z.string().optional(), 'The JSON Schema of this file, for editors; ignored by the runner.'),
    environments: described(z.string().min(1).optional(), 'Folder of environment files, relative to this file (default "environments").'),
    defaultEnvironment: described(z.string().min(1).optional(), 'Environment used when -e is not given.'),
    reporters: described(z.array(z.enum(['cli', 'json', 'junit', 'html'])).optional(), 'Reporters of every run (default cli).'),
    outDir: described(z.string().min(1).optional(), 'Where json/junit/html reports are written (default sortie-reports).'),
    scripts: described(z.array(z.string().min(1)).optional(), 'Script libraries: folders (relative to this file) or npm package names.'),
    variables: described(z.record(z.string(), z.unknown()).optional(), 'Global variables of every run.'),
    secrets: secretsField(),
    ...connectionFields(),
    beforeAll: described(
      RunHookSchema.optional(),
      'Runs once before every scenario of a run (once per run, whatever --parallel; once per run plan on agents); when it fails, no scenario runs.',
    ),
    afterAll: described(
      RunHookSchema.optional(),
      'Runs once after every scenario of a run, even when scenarios failed or the run was interrupted.',
    ),
  }),
);
export type Project = z.infer<typeof ProjectSchema>;
