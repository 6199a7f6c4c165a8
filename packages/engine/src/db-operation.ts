import type { DbOperation, DbRecord } from '@sortie/core';
import type { DbResult } from '@sortie/db';
import { renderValue } from '@sortie/template';
import { previewBody } from './body-preview.js';
import type { ScenarioContext } from './context.js';
import { refuseInjectedOperators, refusePipelineInjection } from './mongo-operator-guard.js';
import { cutByDeadline } from './run-deadline.js';

let dbModule: typeof import('@sortie/db') | undefined;

/**
 * Runs one database operation for a `db` step or processor. Values are templated — SQL `params`,
 * MongoDB documents, Redis arguments — but never the SQL text itself (the schema rejects `{{…}}`
 * there), so a value can only ever be data. The result goes to the variable named by `as`; the
 * record of what ran is appended to `records` even when the operation fails.
 */
export async function runDbOperation(operation: DbOperation, ctx: ScenarioContext, records: DbRecord[]): Promise<DbResult> {
  const render = ctx.options.render;
  const rendered: DbOperation = { ...operation };
  if (operation.params !== undefined) rendered.params = renderValue(operation.params, ctx.vars, render);
  if (operation.mongo !== undefined) {
    rendered.mongo = renderValue(operation.mongo, ctx.vars, render);
    refuseInjectedOperators(operation.mongo.filter, rendered.mongo.filter);
    refusePipelineInjection(operation.mongo.pipeline, rendered.mongo.pipeline);
  }
  if (operation.redis !== undefined) rendered.redis = renderValue(operation.redis, ctx.vars, render);
  ctx.db.scope ??= (await ctx.databases()).openScope();
  const scope = ctx.db.scope;
  // Loaded with the first operation, then kept: `import()` of a loaded module still costs ~3 µs and
  // a few microtask hops a step (measured on Node 20; see BENCHMARKS.md, session 6).
  dbModule ??= await import('@sortie/db');
  const { describeOperation } = dbModule;
  const started = performance.now();
  const record: DbRecord = { connection: operation.connection, operation: ctx.redactor.redact(describeOperation(rendered)), durationMs: 0 };
  records.push(record);
  try {
    // A run with a deadline (--timeout) does not wait for a query past it, as for a request; an
    // interrupt (Ctrl-C, SIGTERM; in a teardown the end of the grace period) cancels it on the server.
    const result = await scope.execute(rendered, ctx.options.deadline, ctx.signal).catch((error: unknown) => {
      throw cutByDeadline(error, ctx.options.deadline, 'database operation');
    });
    record.rowCount = result.rowCount;
    if (result.affectedRows !== undefined) record.affectedRows = result.affectedRows;
    const preview = previewBody(JSON.stringify(result), 'application/json', ctx.options.maxBodyInReport, ctx.redactor);
    if (preview !== undefined) record.result = preview;
    if (operation.as !== undefined) ctx.vars.set('local', operation.as, result);
    return result;
  } finally {
    record.durationMs = performance.now() - started;
  }
}

/** Rolls back the transactions a scenario run left open and releases their connections. */
export async function endDbScope(ctx: ScenarioContext): Promise<void> {
  const scope = ctx.db.scope;
  ctx.db.scope = undefined;
  await scope?.close();
}
