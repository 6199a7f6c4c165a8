import { describe, expect, it, vi } from 'vitest';

const loads = vi.hoisted(() => ({ count: 0 }));

vi.mock('@faker-js/faker', async (importOriginal) => {
  loads.count++;
  return importOriginal();
});

import {
  createBuiltinDynamicValues,
  createDynamicValues,
  type FakerModule,
  needsDynamicValues,
  renderString,
  renderValue,
  Variables,
  validateTemplates,
} from '../src/index.js';

describe('loading faker', () => {
  it('does not import faker to render, validate or scan templates, nor for the built-in values', async () => {
    const vars = new Variables({ scenario: { a: 1 } });
    const scenario = {
      url: '{{a}}/{{$guid}}',
      body: { t: '{{$timestamp}}', i: '{{$isoTimestamp}}', u: '{{$randomUUID}}', r: '{{$randomInt}}' },
    };
    renderValue(scenario, vars);
    renderString('{{$date.now | format("YYYY")}}', vars, { dynamic: createBuiltinDynamicValues({ seed: 1 }) });
    expect(validateTemplates({ a: '{{$person.fullName}}', b: '{{$randomEmail}}' })).toEqual([]);
    expect(needsDynamicValues(scenario)).toBe(false);
    expect(needsDynamicValues({ x: '{{$person.fullName}}' })).toBe(true);
    expect(loads.count).toBe(0);

    const dynamic = await createDynamicValues({ seed: 1 });
    expect(loads.count).toBe(1);
    expect(renderString('{{$person.fullName}}', vars, { dynamic })).not.toBe('');
  });

  it('calls an injected loader once per createDynamicValues', async () => {
    const loader = vi.fn(async () => (await import('@faker-js/faker')) as FakerModule);
    const dynamic = await createDynamicValues({ seed: 1, loadFaker: loader });
    renderString('{{$randomEmail}} {{$person.fullName}} {{$lorem.word}}', new Variables(), { dynamic });
    expect(loader).toHaveBeenCalledTimes(1);
    expect(dynamic.hasFaker).toBe(true);
  });
});
