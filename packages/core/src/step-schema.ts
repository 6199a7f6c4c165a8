/**
 * Steps. Each type is told apart by its own key: `request`, `db`, `group`, `if`, `loop`, `forEach`,
 * `wait`, `script`, `include`, `break`. Groups, branches and loops hold steps, recursively.
 */
import * as z from 'zod';
import { ConditionSchema } from './assertion-schema.js';
import { AuthChoiceSchema } from './auth-reference-schema.js';
import { DbOperationSchema } from './db-schema.js';
import { deferred } from './deferred-schema.js';
import { ProcessorSchema, WaitMillisecondsSchema } from './processor-schema.js';
import { RequestSchema, RetrySchema } from './request-schema.js';
import { described } from './schema-helpers.js';
import { ScriptSpecSchema } from './script-schema.js';

/** Tags of a scenario or step (`sortie run --tag`): words without spaces or commas. */
export const TagsSchema = z.array(z.string().regex(/^[^\s,]+$/, 'expected a tag without spaces or commas'));

/** What a failed or errored step does next: `break` leaves the innermost loop. */
export const ON_ERROR_POLICIES = ['end', 'continue', 'ignore', 'break'] as const;
export type OnErrorPolicy = (typeof ON_ERROR_POLICIES)[number];

export const STEP_KINDS = ['request', 'db', 'group', 'if', 'loop', 'forEach', 'wait', 'script', 'include', 'break'] as const;

// The step kinds other than `request` are built on first use (`deferred`): the union tries
// `request` first, so a scenario of requests never builds them (~110 schema objects less at start).

/** A container's teardown: steps run after its steps whatever happened to them (see docs/lifecycle.md). */
const teardownField = () =>
  described(
    z.array(StepSchema).optional(),
    'Steps run after the steps whatever happened to them (failures, errors, onError: end, --bail, an interrupt); their failures are teardown failures.',
  );

/** A hard limit on loop iterations unless a loop sets its own `max`. */
export const DEFAULT_LOOP_MAX = 1000;

const stepCommon = {
  name: described(
    z.string().optional(),
    'Shown in reports, rendered as a template when the step starts; default: what the step does (e.g. "GET {{base}}/items").',
  ),
  description: described(z.string().optional(), 'Free text, not used by the runner.'),
  tags: described(
    TagsSchema.optional(),
    'Tags for `sortie run --tag`: with a tag selection, a tagged step runs only when one of its tags, or of the containers and scenario around it, is selected; untagged steps always run.',
  ),
  pre: described(
    z.array(ProcessorSchema).optional(),
    'Processors run before the step’s own work, in order: assert, extract, script, db, wait.',
  ),
  post: described(
    z.array(ProcessorSchema).optional(),
    'Processors run after the step (for a request: once the response arrived), in order.',
  ),
  onError: described(z.enum(ON_ERROR_POLICIES).optional(), 'What a failure or error of this step does next: end, continue, ignore, break.'),
};

export const RequestStepSchema = z.strictObject({
  ...stepCommon,
  request: RequestSchema.describe('Sends one HTTP request.'),
  retry: described(RetrySchema.optional(), 'Retries of this request (overrides the scenario’s options.retry).'),
  postmanId: described(
    z.string().min(1).optional(),
    'The id of the Postman request this step was converted from: `setNextRequest` finds the step by it as well as by its name, as Newman does.',
  ),
});

export const DbStepSchema = deferred(() =>
  z.strictObject({
    ...stepCommon,
    // Described inside the deferred schema, so the published JSON Schema keeps its key order.
    db: deferred(() => DbOperationSchema.unwrap().describe('A database operation; post-processors read its result like a response body.')),
  }),
);

export const WaitStepSchema = deferred(() =>
  z.strictObject({
    ...stepCommon,
    wait: described(z.union([WaitMillisecondsSchema, z.string().min(1)]), 'Milliseconds (a number or a template).'),
  }),
);

export const ScriptStepSchema = deferred(() =>
  z.strictObject({
    ...stepCommon,
    script: ScriptSpecSchema.describe('Runs one script; its pm.test results are the step’s assertions.'),
  }),
);

export const BreakStepSchema = deferred(() =>
  z.strictObject({
    name: described(
      z.string().optional(),
      'Shown in reports, rendered as a template when the step starts; default: what the step does (e.g. "GET {{base}}/items").',
    ),
    description: described(z.string().optional(), 'Free text, not used by the runner.'),
    break: described(z.union([z.literal(true), ConditionSchema]), 'Leave the innermost loop (when the condition holds).'),
  }),
);

export const IncludeStepSchema = deferred(() =>
  z.strictObject({
    ...stepCommon,
    include: described(
      z.strictObject({
        file: described(z.string().min(1), 'Another scenario file, relative to this one.'),
        variables: described(z.record(z.string(), z.unknown()).optional(), 'Variables passed in (templates rendered here).'),
        export: described(z.array(z.string().min(1)).optional(), 'Variables the included scenario set that come back out.'),
      }),
      'Runs another scenario file here, with its own variables.',
    ),
  }),
);

/**
 * The type of a nested step list, written out: the recursive getters name it instead of letting
 * TypeScript expand the step union into itself, which no declaration file can hold (TS7056).
 */
export type StepList = z.ZodArray<typeof StepSchema>;

export const GroupStepSchema = deferred(() =>
  z.strictObject({
    ...stepCommon,
    group: described(
      z.strictObject({
        get steps(): StepList {
          return described(z.array(StepSchema), 'The steps of the group, run in order.');
        },
        get teardown() {
          return teardownField();
        },
        auth: described(AuthChoiceSchema.optional(), 'Default auth of the steps inside.'),
      }),
      'Holds steps, with a default auth for them.',
    ),
  }),
);

export const IfStepSchema = deferred(() =>
  z.strictObject({
    ...stepCommon,
    if: described(
      z.strictObject({
        condition: ConditionSchema.describe('An assertion on the last response or a variable, or an expression on variables.'),
        // biome-ignore lint/suspicious/noThenProperty: "then" is the branch key of the `if` step; the schema object is never awaited.
        get then(): StepList {
          return described(z.array(StepSchema), 'Steps run when the condition holds.');
        },
        get else(): z.ZodOptional<StepList> {
          return described(z.array(StepSchema).optional(), 'Steps run when it does not.');
        },
      }),
      'Runs `then` when the condition holds, else `else`.',
    ),
  }),
);

export const LoopStepSchema = deferred(() =>
  z.strictObject({
    ...stepCommon,
    // Exactly one of count/while is checked after parsing (a refinement here would break the recursive types).
    loop: described(
      z.strictObject({
        count: described(
          z.union([z.number().int().nonnegative(), z.string().min(1)]).optional(),
          'Fixed number of iterations (or a template).',
        ),
        while: described(ConditionSchema.optional(), 'Checked before each iteration.'),
        max: described(z.number().int().positive().optional(), `Hard maximum of iterations (default ${DEFAULT_LOOP_MAX}).`),
        index: described(z.string().min(1).optional(), 'Variable holding the 0-based iteration (default "index").'),
        get steps(): StepList {
          return described(z.array(StepSchema), 'The steps of one iteration, run in order.');
        },
        get teardown() {
          return teardownField().describe('Steps run after each pass whatever happened to it; their failures are teardown failures.');
        },
      }),
      'Repeats its steps `count` times or while a condition holds.',
    ),
  }),
);

export const ForEachStepSchema = deferred(() =>
  z.strictObject({
    ...stepCommon,
    forEach: described(
      z.strictObject({
        items: described(
          z.union([
            z.string().min(1),
            z.array(z.unknown()),
            z.strictObject({
              jsonpath: described(z.string().min(1), 'JSONPath into the last response.'),
              from: described(z.string().min(1).optional(), 'Query this variable instead of the last response.'),
            }),
          ]),
          'A template giving an array ("{{users}}"), a JSON array, or a jsonpath into the last response (or a variable).',
        ),
        as: described(z.string().min(1).optional(), 'Variable holding the item (default "item").'),
        index: described(z.string().min(1).optional(), 'Variable holding the 0-based index (default "index").'),
        get steps(): StepList {
          return described(z.array(StepSchema), 'The steps of one iteration, run in order.');
        },
        get teardown() {
          return teardownField().describe('Steps run after each pass whatever happened to it; their failures are teardown failures.');
        },
      }),
      'Runs its steps once per item of an array.',
    ),
  }),
);

/** The step union's schema type, named so that the schemas using it refer to it instead of expanding it. */
export type StepUnionSchema = z.ZodUnion<
  readonly [
    typeof RequestStepSchema,
    typeof DbStepSchema,
    typeof GroupStepSchema,
    typeof IfStepSchema,
    typeof LoopStepSchema,
    typeof ForEachStepSchema,
    typeof WaitStepSchema,
    typeof ScriptStepSchema,
    typeof IncludeStepSchema,
    typeof BreakStepSchema,
  ]
>;

export const StepSchema: StepUnionSchema = z.union([
  RequestStepSchema,
  DbStepSchema,
  GroupStepSchema,
  IfStepSchema,
  LoopStepSchema,
  ForEachStepSchema,
  WaitStepSchema,
  ScriptStepSchema,
  IncludeStepSchema,
  BreakStepSchema,
]);

export type RequestStep = z.infer<typeof RequestStepSchema>;
export type DbStep = z.infer<typeof DbStepSchema>;
export type WaitStep = z.infer<typeof WaitStepSchema>;
export type ScriptStep = z.infer<typeof ScriptStepSchema>;
export type BreakStep = z.infer<typeof BreakStepSchema>;
export type IncludeStep = z.infer<typeof IncludeStepSchema>;
export type GroupStep = z.infer<typeof GroupStepSchema>;
export type IfStep = z.infer<typeof IfStepSchema>;
export type LoopStep = z.infer<typeof LoopStepSchema>;
export type ForEachStep = z.infer<typeof ForEachStepSchema>;
export type Step = z.infer<typeof StepSchema>;
