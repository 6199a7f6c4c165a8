import { ScenarioSchema } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { lintScenario } from '../src/index.js';

const lint = (steps: unknown[]) => lintScenario(ScenarioSchema.parse({ name: 'x', steps }));
/** An `if` step; the scenario format's branch key `then` is spelled out here only. */
function ifStep(condition: unknown, thenSteps: unknown[], elseSteps?: unknown[]): unknown {
  // biome-ignore lint/suspicious/noThenProperty: `then` is the branch of the scenario format's if step, not a promise
  const branch: Record<string, unknown> = { condition, then: thenSteps };
  if (elseSteps !== undefined) branch.else = elseSteps;
  return { if: branch };
}
const echo = { request: { url: 'http://127.0.0.1:1/' } };

describe('lintScenario', () => {
  it('accepts a well-formed flow', () => {
    expect(lint([{ loop: { count: 2, steps: [ifStep({ expression: '1' }, [{ break: true }])] } }, { group: { steps: [echo] } }])).toEqual(
      [],
    );
  });

  it('needs exactly one of count and while in a loop', () => {
    expect(lint([{ loop: { steps: [echo] } }, { loop: { count: 1, while: { expression: '1' }, steps: [echo] } }])).toEqual([
      { path: ['steps', 0, 'loop'], message: 'a loop needs "count" or "while"' },
      { path: ['steps', 1, 'loop'], message: 'a loop takes either "count" or "while", not both' },
    ]);
  });

  it('finds break outside a loop, also nested in groups and branches', () => {
    expect(lint([{ break: true }, { group: { steps: [ifStep({ expression: '1' }, [echo], [{ break: true }])] } }])).toEqual([
      { path: ['steps', 0, 'break'], message: 'break is only allowed inside a loop or forEach' },
      { path: ['steps', 1, 'group', 'steps', 0, 'if', 'else', 0, 'break'], message: 'break is only allowed inside a loop or forEach' },
    ]);
  });

  it('finds an empty group and an empty then', () => {
    expect(lint([{ group: { steps: [] } }, { forEach: { items: [1], steps: [ifStep({ expression: '1' }, [])] } }])).toEqual([
      { path: ['steps', 0, 'group', 'steps'], message: 'a group needs at least one step' },
      { path: ['steps', 1, 'forEach', 'steps', 0, 'if', 'then'], message: 'then needs at least one step' },
    ]);
  });

  it('finds an empty loop and an empty forEach, also nested', () => {
    expect(
      lint([
        { loop: { count: 3, steps: [] } },
        { group: { steps: [{ forEach: { items: [1, 2], steps: [] } }] } },
        { loop: { while: { expression: '1' }, steps: [{ forEach: { items: [1], steps: [echo] } }] } },
      ]),
    ).toEqual([
      { path: ['steps', 0, 'loop', 'steps'], message: 'a loop needs at least one step' },
      { path: ['steps', 1, 'group', 'steps', 0, 'forEach', 'steps'], message: 'a forEach needs at least one step' },
    ]);
  });

  it('reads every condition expression at load: if, loop while and break; templates inside stay for the run', () => {
    const problems = lint([
      ifStep({ expression: '1 == 1 == 1' }, [echo]),
      { loop: { while: { expression: ' ' }, steps: [echo] } },
      { forEach: { items: [1], steps: [{ break: { expression: '{{index}} >=' } }] } },
      ifStep({ expression: '{{a == b}} == "x == y"' }, [echo]),
      ifStep({ expression: '{{flag}}' }, [echo]),
    ]);
    expect(problems.every((problem) => problem.hint?.startsWith('write `<value> <op> <value>`'))).toBe(true);
    expect(problems.map(({ path, message }) => ({ path, message }))).toEqual([
      { path: ['steps', 0, 'if', 'condition', 'expression'], message: 'cannot read the condition "1 == 1 == 1": more than one operator' },
      { path: ['steps', 1, 'loop', 'while', 'expression'], message: 'cannot read the condition " ": no operand' },
      {
        path: ['steps', 2, 'forEach', 'steps', 0, 'break', 'expression'],
        message: 'cannot read the condition "{{index}} >=": ">=" needs an operand on each side',
      },
    ]);
  });
});
