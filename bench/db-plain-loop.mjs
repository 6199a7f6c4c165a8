/**
 * The plain-driver side of the DB bench row (bench/db-select.ts), in a fresh process like the CLI's:
 * timed from before `pg` is loaded, as the CLI's run pays loading its driver in its first step.
 * Prints `{"totalMs", "firstMs"}` (firstMs: loading pg, connecting and the first query).
 * Usage: node bench/db-plain-loop.mjs <postgres-url> <table> <count>
 */
const [url, table, count] = process.argv.slice(2);
const started = performance.now();
const { default: pg } = await import('pg');
const pool = new pg.Pool({ connectionString: url, max: 5 });
let firstMs = 0;
for (let id = 1; id <= Number(count); id++) {
  (await pool.query(`SELECT id, name FROM ${table} WHERE id = $1`, [id])).rows.map((r) => r.name);
  if (id === 1) firstMs = performance.now() - started;
}
const totalMs = performance.now() - started;
await pool.end();
process.stdout.write(JSON.stringify({ totalMs, firstMs }));
