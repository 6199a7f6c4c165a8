import { emptyTotals } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { collectLeafSteps, createLeafState } from '../src/shared/leaf-steps.js';
import { formatScenarioKey, ScenarioTracker } from '../src/shared/scenario-key.js';
import { containerStep, requestStep } from './support/events.js';

describe('leaf steps', () => {
  it('gives each leaf once when children end before their container, which then carries them again', () => {
    const state = createLeafState();
    const a = requestStep({ id: '0.0', name: 'a', path: ['g'] });
    const b = requestStep({ id: '0.1', name: 'b', path: ['g'] });
    const ids = [a, b, containerStep('0', 'g', 'group', [a, b])].flatMap((step) => collectLeafSteps(step, state).map((s) => s.id));
    expect(ids).toEqual(['0.0', '0.1']);
  });

  it('does not report a container without children when its descendants were reported', () => {
    const state = createLeafState();
    const inner = requestStep({ id: '1.0.0', name: 'deep', status: 'failed' });
    collectLeafSteps(inner, state);
    expect(collectLeafSteps(containerStep('1', 'outer', 'group', undefined), state)).toEqual([]);
  });

  it('reports a container that did not run its children (skipped) or failed on its own (error)', () => {
    const skipped = containerStep('2', 'later', 'group', undefined);
    expect(collectLeafSteps(skipped, createLeafState()).map((s) => s.id)).toEqual(['2']);
    const broken = { ...containerStep('3', 'each', 'forEach', [requestStep({ id: '3.0', name: 'x' })]), status: 'error' as const };
    broken.error = { code: 'SORTIE_UNRESOLVED_VARIABLE', title: 'Unresolved variable', message: 'items is not defined' };
    const leaves = collectLeafSteps(broken, createLeafState());
    expect(leaves.map((s) => s.id)).toEqual(['3.0', '3']);
    expect(leaves[1]?.children).toBeUndefined();
  });

  it('treats a loop pass (iteration) as a container: an empty passing one is not a leaf', () => {
    expect(collectLeafSteps({ ...containerStep('5.0', 'poll[0]', 'iteration', []), status: 'passed' }, createLeafState())).toEqual([]);
  });

  it('skips a passing container with nothing inside (an if whose branch was not taken)', () => {
    expect(collectLeafSteps({ ...containerStep('4', 'maybe', 'if', undefined), status: 'passed' }, createLeafState())).toEqual([]);
  });
  it('remembers one id per open container, however many passes a loop has', () => {
    const state = createLeafState();
    let reported = 0;
    let largest = 0;
    for (let n = 0; n < 1000; n++) {
      const probe = requestStep({ id: `1.0.${n}.0`, name: 'probe', path: ['poll[n]'] });
      reported += collectLeafSteps(probe, state).length;
      largest = Math.max(largest, state.parents.size);
      collectLeafSteps({ ...containerStep(`1.0.${n}`, `poll[${n}]`, 'iteration', [probe]), status: 'passed' }, state);
    }
    expect(reported).toBe(1000);
    expect(largest).toBe(3);
    expect(collectLeafSteps(containerStep('1.0', 'poll', 'loop', []), state)).toEqual([]);
    expect(collectLeafSteps(containerStep('1', 'outer', 'group', []), state)).toEqual([]);
    expect(state.parents.size).toBe(0);
  });

  it('reports a step again when it runs again (setNextRequest jumping back)', () => {
    const state = createLeafState();
    const again = requestStep({ id: '0', name: 'poll' });
    expect(
      [again, requestStep({ id: '1', name: 'check' }), again].flatMap((step) => collectLeafSteps(step, state).map((s) => s.id)),
    ).toEqual(['0', '1', '0']);
  });
});

describe('scenario tracker', () => {
  it('keys scenario runs by file and iteration', () => {
    expect(formatScenarioKey('a.json')).toBe('a.json');
    expect(formatScenarioKey('a.json', 2)).toBe('a.json#2');
  });

  it('attributes step events with an unknown key to the only open scenario run', () => {
    const tracker = new ScenarioTracker((key) => ({ key }));
    const slot = tracker.startScenario({ type: 'scenario:start', name: 'A', file: 'a.json' });
    expect(tracker.resolveStepKey('engine-specific-key')).toBe(slot);
  });

  it('forgets a scenario run when it ends', () => {
    const tracker = new ScenarioTracker((key) => ({ key }));
    const slot = tracker.startScenario({ type: 'scenario:start', name: 'A', file: 'a.json', iteration: 3 });
    expect(tracker.listSlots()).toEqual([slot]);
    const result = {
      name: 'A',
      file: 'a.json',
      iteration: 3,
      status: 'passed' as const,
      startedAt: 0,
      durationMs: 1,
      totals: emptyTotals(),
    };
    expect(tracker.endScenario(result)).toBe(slot);
    expect(tracker.listSlots()).toEqual([]);
  });

  it('keeps unknown keys apart while several scenario runs are open', () => {
    const tracker = new ScenarioTracker((key) => ({ key }));
    const a = tracker.startScenario({ type: 'scenario:start', name: 'A', file: 'a.json' });
    const b = tracker.startScenario({ type: 'scenario:start', name: 'B', file: 'b.json' });
    expect(tracker.resolveStepKey('b.json')).toBe(b);
    const unknown = tracker.resolveStepKey('other');
    expect(unknown).not.toBe(a);
    expect(unknown).not.toBe(b);
  });
});
