/**
 * The JSON report format — the single source of truth. `schemas/report.schema.json` is
 * generated from `ReportSchema`; a report file points at it with `$schema`.
 *
 * Run and scenario times are ISO 8601 strings; step results are `StepResult` as the engine
 * emits them (epoch milliseconds). Steps form a tree: a scenario lists its top-level steps, and a
 * container (group, if, include, loop, forEach, one pass of a loop) lists the steps it ran in
 * `children`, each with all its details, in execution order.
 */
import * as z from 'zod';
import { REPORT_SCHEMA_URL, REPORT_VERSION } from './report-format.js';

export { REPORT_SCHEMA_URL, REPORT_VERSION };

const StatusSchema = z
  .enum(['passed', 'failed', 'error', 'skipped'])
  .describe('passed, failed (an assertion failed), error (could not run), skipped.');

const RunStatusSchema = z
  .enum(['passed', 'failed', 'error', 'skipped', 'interrupted'])
  .describe(
    'The worst scenario status (passed, failed, error, skipped), or interrupted: a signal (Ctrl-C, SIGTERM) or the run time limit (timedOut) cut the run short.',
  );

const TotalsSchema = z.object({
  steps: z.number().int().nonnegative(),
  requests: z.number().int().nonnegative(),
  assertions: z.number().int().nonnegative(),
  failedAssertions: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  flaky: z.number().int().nonnegative().optional().describe('Steps that passed only on a retry; absent when none.'),
});

const ErrorInfoSchema = z.object({
  code: z.string().describe('Stable error code, e.g. SORTIE_NETWORK.'),
  title: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  location: z
    .object({
      file: z.string(),
      line: z.number().int().positive().optional(),
      column: z.number().int().positive().optional(),
      path: z.string().optional().describe('JSON path of the offending value.'),
    })
    .optional(),
});

const SourceExcerptSchema = z
  .object({
    file: z.string(),
    line: z.number().int().positive().optional(),
    column: z.number().int().positive().optional(),
    path: z.string().optional().describe('JSON path inside the scenario file.'),
    text: z.string().optional().describe('The text of that line.'),
  })
  .describe('Where it is written in the scenario file.');

const HeaderListSchema = z.array(z.tuple([z.string(), z.string()])).describe('Headers as [name, value] pairs, in order.');

const BodyPreviewSchema = z.object({
  text: z.string().describe('UTF-8 text, or base64 when encoding is base64; cut at the configured size.'),
  encoding: z.enum(['utf8', 'base64']).optional(),
  size: z.number().int().nonnegative().describe('Full size in bytes.'),
  truncated: z.boolean(),
});

const RequestRecordSchema = z.object({
  method: z.string(),
  url: z.string(),
  headers: HeaderListSchema,
  body: BodyPreviewSchema.optional(),
  bodySize: z.number().int().nonnegative(),
});

const TimingsSchema = z.object({
  dns: z.number().nonnegative().optional(),
  connect: z.number().nonnegative().optional(),
  tls: z.number().nonnegative().optional(),
  firstByte: z.number().nonnegative(),
  download: z.number().nonnegative(),
  total: z.number().nonnegative(),
});

const ResponseRecordSchema = z.object({
  status: z.number().int(),
  statusText: z.string(),
  httpVersion: z.string(),
  headers: HeaderListSchema,
  body: BodyPreviewSchema.optional(),
  bodySize: z.number().int().nonnegative(),
  encodedBodySize: z.number().int().nonnegative().optional(),
  timings: TimingsSchema,
  redirects: z.array(z.string()).optional(),
});

const AssertionResultSchema = z.object({
  selector: z.string(),
  operator: z.string(),
  expected: z.unknown().optional(),
  actual: z.unknown().optional(),
  passed: z.boolean(),
  skipped: z
    .literal(true)
    .optional()
    .describe('Not run: a script’s pm.test.skip. Counted in the assertions, never failed (`passed` is true), as in Newman.'),
  message: z.string().optional(),
  name: z.string().optional(),
  source: z.enum(['assert', 'script', 'contract']).optional(),
  location: SourceExcerptSchema.optional(),
  pointer: z.string().optional(),
});

const DbRecordSchema = z.object({
  connection: z.string(),
  operation: z.string().describe('The statement or command with placeholders, never parameter values.'),
  rowCount: z.number().optional(),
  affectedRows: z.number().optional(),
  result: BodyPreviewSchema.optional().describe('The result as JSON text, cut at the report body size.'),
  durationMs: z.number().nonnegative(),
});

const AttemptRecordSchema = z.object({
  attempt: z.number().int().positive(),
  status: z.number().int().optional(),
  error: ErrorInfoSchema.optional(),
  durationMs: z.number().nonnegative(),
  delayMs: z.number().nonnegative(),
});

const ScriptLogSchema = z.object({
  level: z.enum(['log', 'info', 'warn', 'error']),
  message: z.string(),
  script: z.string().optional(),
});

/** One step result, as `StepResult` in @sortie/core. */
export const ReportStepSchema = z.object({
  id: z
    .string()
    .describe(
      'Unique id inside the scenario run, e.g. 0 or 2.1; a later run of a step that setNextRequest runs again has ~N, e.g. 1~2 or 2~2.0.',
    ),
  name: z.string(),
  kind: z.string(),
  path: z.array(z.string()).describe('Names of the enclosing steps, outermost first.'),
  status: StatusSchema,
  startedAt: z.number().describe('Epoch milliseconds.'),
  durationMs: z.number().nonnegative(),
  request: RequestRecordSchema.optional(),
  response: ResponseRecordSchema.optional(),
  db: z.array(DbRecordSchema).optional().describe('Database operations of the step, in order.'),
  attempts: z.array(AttemptRecordSchema).optional().describe('Every attempt of a request step with retries.'),
  flaky: z.literal(true).optional().describe('The step passed only on a retry: the attempts before the last failed.'),
  phase: z
    .enum(['setup', 'teardown'])
    .optional()
    .describe('Set on the steps of a scenario’s setup, or of a teardown (the scenario’s or a container’s); absent for the test’s steps.'),
  logs: z.array(ScriptLogSchema).optional().describe('Console output of the step’s scripts.'),
  visualizer: z.object({ template: z.string(), data: z.unknown() }).optional(),
  assertions: z.array(AssertionResultSchema),
  extracted: z.array(z.string()),
  error: ErrorInfoSchema.optional(),
  ignored: z.boolean().optional().describe('The step failed or errored, but its on-error policy is ignore.'),
  location: SourceExcerptSchema.optional().describe('Where a step that errored is written.'),
  get children() {
    return z
      .array(ReportStepSchema)
      .optional()
      .describe(
        'Steps a container ran, in execution order, each with all its details: the steps of a group, if or include; ' +
          'the passes of a loop or forEach (kind iteration, named loop[n]); the steps of a pass.',
      );
  },
});

/** One scenario run and its top-level steps, in execution order (containers hold theirs in `children`). */
export const ReportScenarioSchema = z.object({
  name: z.string(),
  file: z.string(),
  iteration: z.number().int().nonnegative().optional(),
  status: StatusSchema,
  startedAt: z.iso.datetime().describe('ISO 8601.'),
  durationMs: z.number().nonnegative(),
  totals: TotalsSchema,
  error: ErrorInfoSchema.optional().describe('Set when the scenario could not run at all.'),
  notRun: z
    .enum(['bail', 'interrupted', 'cancelled', 'beforeAll'])
    .optional()
    .describe(
      'Set when the scenario run never started because the run stopped first: at the first failure (--bail), interrupted, cancelled (a remote run cancelled from the server or by Ctrl-C at `sortie run --remote`), or its beforeAll hook failed. Its steps are skipped.',
    ),
  interrupted: z
    .literal(true)
    .optional()
    .describe(
      'An interrupt (SIGINT, SIGTERM, --timeout) cut the scenario run short: steps were left unrun (skipped); status is the outcome of what ran.',
    ),
  teardown: StatusSchema.optional().describe(
    'How its teardowns ended (the scenario’s and its containers’), apart from status (the setup’s and the test’s outcome); a failed teardown fails the run.',
  ),
  hook: z.enum(['beforeAll', 'afterAll']).optional().describe('A project hook (sortie.config.json) rather than a scenario.'),
  flaky: z.literal(true).optional().describe('--retry-failed: the scenario failed, then passed when run again.'),
  attempts: z
    .array(
      z.object({
        attempt: z.number().int().positive(),
        status: StatusSchema,
        durationMs: z.number().nonnegative(),
        totals: TotalsSchema,
      }),
    )
    .optional()
    .describe('--retry-failed: the earlier runs of this scenario, which failed, oldest first; the steps listed are of the last run.'),
  steps: z.array(ReportStepSchema).describe('Top-level steps, in execution order.'),
});

/** The whole JSON report. */
export const ReportSchema = z
  .object({
    $schema: z.literal(REPORT_SCHEMA_URL),
    version: z.literal(REPORT_VERSION),
    tool: z.object({ name: z.string(), version: z.string() }),
    startedAt: z.iso.datetime().describe('ISO 8601.'),
    durationMs: z.number().nonnegative(),
    status: RunStatusSchema,
    bailed: z.literal(true).optional().describe('--bail stopped the run at its first failure; what did not run is reported as skipped.'),
    timedOut: z
      .literal(true)
      .optional()
      .describe("With status interrupted: the run's time limit (--timeout, timeoutRun) stopped it, not a signal."),
    cancelled: z
      .literal(true)
      .optional()
      .describe(
        "With status interrupted: the run was cancelled (sortie run --remote's Ctrl-C, the server's cancel), not stopped by a signal.",
      ),
    failOnFlaky: z.literal(true).optional().describe('--fail-on-flaky: flaky steps and scenarios count as failures.'),
    totals: TotalsSchema,
    auth: z
      .array(
        z.object({
          profile: z.string(),
          grant: z.string().optional(),
          obtained: z.number().int().nonnegative(),
          refreshed: z.number().int().nonnegative(),
          reused: z.number().int().nonnegative(),
          failed: z.number().int().nonnegative(),
          expiresAt: z.number().optional().describe('Epoch ms of the latest token’s expiry.'),
          lastError: z.string().optional(),
        }),
      )
      .optional()
      .describe('What the auth-state manager did per profile (tokens obtained, refreshed, reused, failed) — never a token.'),
    scenarios: z.array(ReportScenarioSchema),
  })
  .meta({ title: 'Sortie run report', description: 'Result of one Sortie run: every scenario run and its steps.' });

export type Report = z.infer<typeof ReportSchema>;
export type ReportScenario = z.infer<typeof ReportScenarioSchema>;
