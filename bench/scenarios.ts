/** Generated benchmark scenarios (written to a temp folder, never committed). */

/** N request steps, each with two assertions and one extract — the throughput scenario. */
export function requestsScenario(steps: number): unknown {
  return {
    name: `${steps} requests`,
    options: { onError: 'continue' },
    steps: Array.from({ length: steps }, (_, i) => ({
      name: `request ${i}`,
      request: { method: 'GET', url: '{{base}}/bench', query: { n: String(i) } },
      post: [
        { assert: { status: { equals: 200 } } },
        { assert: { jsonpath: { path: '$.ok', equals: true } } },
        { extract: { var: 'token', jsonpath: '$.token' } },
      ],
    })),
  };
}

/**
 * N request steps, each with one post-script: a pm.test, pm.response.json() and an environment.set
 * (issue 6). With `freshTokens`, every response carries a new token, so the script stores a new
 * secret each step (every one is redacted from the reports from then on).
 */
export function scriptedScenario(steps: number, freshTokens = false): unknown {
  const query = (i: number) => (freshTokens ? { n: String(i), fresh: '1' } : { n: String(i) });
  return {
    name: `${steps} scripted requests`,
    options: { onError: 'continue' },
    steps: Array.from({ length: steps }, (_, i) => ({
      name: `request ${i}`,
      request: { method: 'GET', url: '{{base}}/bench', query: query(i) },
      post: [
        {
          script:
            "pm.test('status is 200', () => pm.response.to.have.status(200));\nconst body = pm.response.json();\npm.environment.set('token', body.token);",
        },
      ],
    })),
  };
}

/** One request per scenario run with an assertion: run with `-d` rows, it measures data-driven iterations. */
export function dataDrivenScenario(): unknown {
  return {
    name: 'data-driven',
    steps: [
      {
        name: 'row',
        request: { method: 'GET', url: '{{base}}/bench', query: { n: '{{n}}', user: '{{user}}' } },
        post: [{ assert: { status: { equals: 200 } } }],
      },
    ],
  };
}

/** Iteration rows for the data-driven benchmark (generated, never committed). */
export function iterationRows(count: number): unknown[] {
  return Array.from({ length: count }, (_, n) => ({ n, user: `user-${n}` }));
}

/** `outer` × `inner` passes of nested loops, one request per inner pass. */
export function nestedLoopScenario(outer: number, inner: number): unknown {
  return {
    name: `nested loops ${outer}x${inner}`,
    steps: [
      {
        name: 'outer',
        loop: {
          count: outer,
          index: 'i',
          steps: [
            {
              name: 'inner',
              loop: {
                count: inner,
                index: 'j',
                steps: [
                  {
                    name: 'cell',
                    request: { method: 'GET', url: '{{base}}/bench', query: { n: '{{i}}-{{j}}' } },
                    post: [{ assert: { status: { equals: 200 } } }],
                  },
                ],
              },
            },
          ],
        },
      },
    ],
  };
}

/** N db steps, each reading one row by id (issue 20): the overhead of a db step over a plain driver call. */
export function dbSelectScenario(steps: number, table: string): unknown {
  return {
    name: `${steps} SELECT-by-id db steps`,
    steps: Array.from({ length: steps }, (_, i) => ({
      name: `select ${i + 1}`,
      db: { connection: 'main', sql: `SELECT id, name FROM ${table} WHERE id = $1`, params: [i + 1] },
    })),
  };
}
