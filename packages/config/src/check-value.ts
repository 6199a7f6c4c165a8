import type * as z from 'zod';
import { describeIssue, markGeneratedMessage } from './issue-messages.js';

/**
 * Checks a value made at run time (a rendered template) against the schema its literal form is
 * checked with at load: undefined when it passes, else the load-time message ("expected an integer
 * >= 0, got -1"), so a templated value obeys exactly the literal's rules.
 */
export function checkValue(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value, { reportInput: true, error: markGeneratedMessage });
  const issue = result.success ? undefined : result.error.issues[0];
  return issue === undefined ? undefined : describeIssue(issue);
}
