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
