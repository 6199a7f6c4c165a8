import { describe, expect, it } from 'vitest';
import { findDeselectedSteps, type Scenario, type Step, scenarioHasTag } from '../src/index.js';

const step = (name: string, tags?: string[]): Step => ({ name, wait: 0, ...(tags === undefined ? {} : { tags }) });
const names = (set: ReadonlySet<Step>) => [...set].map((s) => ('name' in s ? s.name : undefined));

describe('tag selection', () => {
  const nested = step('nested', ['smoke']);
  const scenario: Scenario = {
    name: 's',
    steps: [
      step('setup'),
      step('slow', ['slow']),
      { name: 'group', tags: ['smoke'], group: { steps: [step('inherits', ['slow']), step('plain')] } },
      { name: 'loop', loop: { count: 1, steps: [nested, step('other', ['other'])] } },
    ],
  };

  it('selects a scenario through its own tags or any step at any depth', () => {
    expect(scenarioHasTag(scenario, ['smoke'])).toBe(true);
    expect(scenarioHasTag(scenario, ['other'])).toBe(true);
    expect(scenarioHasTag(scenario, ['absent'])).toBe(false);
    expect(scenarioHasTag({ name: 't', tags: ['absent'], steps: [] }, ['absent'])).toBe(true);
  });

  it('leaves out tagged steps none of whose tags, or their containers’, is selected; untagged steps stay', () => {
    expect(names(findDeselectedSteps(scenario, ['smoke']))).toEqual(['slow', 'other']);
    expect(names(findDeselectedSteps(scenario, ['slow']))).toEqual(['group', 'nested', 'other']);
    expect(findDeselectedSteps(scenario, []).size).toBe(0);
    expect(findDeselectedSteps({ ...scenario, tags: ['slow'] }, ['slow']).size).toBe(0);
  });
});
