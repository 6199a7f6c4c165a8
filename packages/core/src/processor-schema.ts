/** Processors: what runs before (`pre`) and after (`post`) a step, in the order written. */
import * as z from 'zod';
import { AssertionSchema, ExtractionSchema } from './assertion-schema.js';
import { DbOperationSchema } from './db-schema.js';
import { requireExactlyOne } from './schema-helpers.js';
import { ScriptSpecSchema } from './script-schema.js';

export const PROCESSOR_KINDS = ['assert', 'extract', 'wait', 'db', 'script'] as const;

export const ProcessorSchema = z
  .strictObject({
    assert: AssertionSchema.optional().describe('An assertion: one selector and operators; records results and goes on.'),
    extract: ExtractionSchema.optional().describe('Sets a variable from the response, a db result or a variable.'),
    wait: z.number().int().nonnegative().optional().describe('Milliseconds to wait.'),
    db: DbOperationSchema.optional().describe('A database operation; its result goes to the variable named by `as`.'),
    script: ScriptSpecSchema.optional().describe('A script with Postman’s `pm` API; in `pre` it may change the request.'),
  })
  .check(requireExactlyOne(PROCESSOR_KINDS, 'a processor'));
export type Processor = z.infer<typeof ProcessorSchema>;
