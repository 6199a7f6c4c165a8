import type { Scenario } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { plannedLeafSteps } from '../src/planned-steps.js';

const request = { url: 'http://127.0.0.1:1/x' };

describe('plannedLeafSteps', () => {
  it('counts leaf steps through groups, counted loops and forEach over an array, teardowns included', () => {
    const scenario = {
      name: 's',
      setup: [{ name: 'seed', request }],
      steps: [
        { name: 'one', request },
        {
          name: 'g',
          group: {
            steps: [
              { name: 'a', request },
              { name: 'b', wait: 10 },
            ],
            teardown: [{ name: 'clean', request }],
          },
        },
        { name: 'pages', loop: { count: 3, steps: [{ name: 'page', request }] } },
        {
          name: 'each',
          forEach: {
            items: [1, 2],
            steps: [
              { name: 'x', request },
              { name: 'y', script: 'pm.test("ok", () => {})' },
            ],
          },
        },
      ],
      teardown: [{ name: 'bye', request }],
    } as unknown as Scenario;
    // seed 1 + one 1 + group (2 + 1) + loop 3 + forEach 2 × 2 + bye 1
    expect(plannedLeafSteps(scenario, [])).toBe(13);
  });

  it('caps a loop at its max', () => {
    const scenario = {
      name: 's',
      steps: [{ name: 'l', loop: { count: 10, max: 4, steps: [{ name: 'r', request }] } }],
    } as unknown as Scenario;
    expect(plannedLeafSteps(scenario, [])).toBe(4);
  });

  it('is unknown when the size depends on the run: if, while, a templated count, a forEach over a variable, an include', () => {
    const unknown = [
      // biome-ignore lint/suspicious/noThenProperty: "then" is the branch key of the `if` step.
      { name: 'i', if: { condition: { variable: { name: 'x', equals: 1 } }, then: [{ name: 'r', request }] } },
      { name: 'w', loop: { while: { variable: { name: 'x', equals: 1 } }, steps: [{ name: 'r', request }] } },
      { name: 't', loop: { count: '{{n}}', steps: [{ name: 'r', request }] } },
      { name: 'f', forEach: { items: 'list', steps: [{ name: 'r', request }] } },
      { name: 'inc', include: { file: 'other.json' } },
    ];
    for (const step of unknown) {
      expect(plannedLeafSteps({ name: 's', steps: [step] } as unknown as Scenario, []), step.name).toBeUndefined();
    }
  });

  it('leaves out the steps --tag deselects', () => {
    const scenario = {
      name: 's',
      steps: [
        { name: 'smoke', tags: ['smoke'], request },
        { name: 'slow', tags: ['slow'], loop: { count: 5, steps: [{ name: 'r', request }] } },
      ],
    } as unknown as Scenario;
    expect(plannedLeafSteps(scenario, ['smoke'])).toBe(1);
    expect(plannedLeafSteps(scenario, [])).toBe(6);
  });
});
