import { describe, expect, it } from 'vitest';
import { emptyTotals, type StepResult } from '../src/results.js';
import { countStep, countsAsReportedStep, reportedStatus } from '../src/step-kinds.js';

function step(init: Partial<StepResult>): StepResult {
  return {
    id: '0',
    name: 's',
    kind: 'request',
    path: [],
    status: 'passed',
    startedAt: 0,
    durationMs: 0,
    assertions: [],
    extracted: [],
    ...init,
  };
}
const failed = { selector: 'status', operator: 'equals', expected: 200, actual: 500, passed: false };

describe('which steps count', () => {
  it('counts a leaf always, a passed container with children never, a container with a problem of its own always', () => {
    expect(countsAsReportedStep(step({ kind: 'wait', status: 'skipped' }))).toBe(true);
    const child = step({ id: '0.0', status: 'error' });
    expect(countsAsReportedStep(step({ kind: 'group', status: 'error', children: [child] }))).toBe(false);
    expect(countsAsReportedStep(step({ kind: 'if', status: 'failed', assertions: [failed], children: [child] }))).toBe(true);
    expect(countsAsReportedStep(step({ kind: 'loop', status: 'skipped' }))).toBe(true);
    expect(countsAsReportedStep(step({ kind: 'iteration', status: 'passed' }))).toBe(false);
  });

  it('counts a container shown for its own failed assertion as failed even when a child errored', () => {
    const container = step({ kind: 'group', status: 'error', assertions: [failed], children: [step({ id: '0.0', status: 'error' })] });
    expect(reportedStatus(container)).toBe('failed');
    const totals = emptyTotals();
    countStep(totals, container);
    expect(totals).toMatchObject({ steps: 1, failed: 1, errors: 0, assertions: 1, failedAssertions: 1 });
  });

  it('counts an ignored problem as passed and a request only when it was sent', () => {
    const totals = emptyTotals();
    countStep(totals, step({ status: 'failed', assertions: [failed], ignored: true }));
    countStep(totals, step({ status: 'error', error: { code: 'SORTIE_TEMPLATE', title: 't', message: 'm' } }));
    expect(totals).toMatchObject({ steps: 2, passed: 1, errors: 1, requests: 0 });
  });
});
