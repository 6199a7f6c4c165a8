/** Processors: what runs before (`pre`) and after (`post`) a step, in the order written. */
import * as z from 'zod';
import { AssertionSchema, ExtractionSchema } from './assertion-schema.js';
import { DbOperationSchema } from './db-schema.js';
import { described, requireExactlyOne } from './schema-helpers.js';
import { ScriptSpecSchema } from './script-schema.js';

/** Milliseconds of a wait (a `wait` processor, or a `wait` step written as a number or rendered from a template). */
export const WaitMillisecondsSchema = z.number().int().nonnegative();

export const PROCESSOR_KINDS = ['assert', 'extract', 'wait', 'db', 'script'] as const;

export const ProcessorSchema = z
  .strictObject({
    assert: described(AssertionSchema.optional(), 'An assertion: one selector and operators; records results and goes on.'),
    extract: described(ExtractionSchema.optional(), 'Sets a variable from the response, a db result or a variable.'),
    wait: described(WaitMillisecondsSchema.optional(), 'Milliseconds to wait.'),
    db: described(DbOperationSchema.optional(), 'A database operation; its result goes to the variable named by `as`.'),
    script: described(ScriptSpecSchema.optional(), 'A script with Postman’s `pm` API; in `pre` it may change the request.'),
  })
  .check(requireExactlyOne(PROCESSOR_KINDS, 'a processor'));
export type Processor = z.infer<typeof ProcessorSchema>;
