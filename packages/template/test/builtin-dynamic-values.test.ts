import { ErrorCode } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { createBuiltinDynamicValues, renderString, renderValue, Variables } from '../src/index.js';
import { expectSortieError } from './helpers.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const vars = new Variables();

describe('built-in dynamic values', () => {
  it('generate $guid, $randomUUID, $timestamp, $isoTimestamp and $randomInt without faker', () => {
    const before = Date.now();
    const value = renderValue(
      { g: '{{$guid}}', u: '{{$randomUUID}}', t: '{{$timestamp}}', i: '{{$isoTimestamp}}', r: '{{$randomInt}}' },
      vars,
    );
    expect(value.g).toMatch(UUID_V4);
    expect(value.u).toMatch(UUID_V4);
    expect(value.t).toBeGreaterThanOrEqual(Math.floor(before / 1000));
    expect(Date.parse(value.i as string)).toBeGreaterThanOrEqual(before - 1);
    expect(value.i).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Number.isInteger(value.r)).toBe(true);
  });

  it('generate a new value for each occurrence', () => {
    const [a, b] = renderString('{{$guid}} {{$guid}}', vars).split(' ');
    expect(a).not.toBe(b);
  });

  it('keep $randomInt between 0 and 1000', () => {
    const dynamic = createBuiltinDynamicValues({ seed: 3 });
    for (let i = 0; i < 500; i++) {
      const n = renderValue<unknown>('{{$randomInt}}', vars, { dynamic }) as number;
      expect(n).toBeGreaterThanOrEqual(0);
      expect(n).toBeLessThanOrEqual(1000);
    }
  });

  it('repeat the same sequence for the same seed, and a different one for another seed', () => {
    const template = '{{$guid}} {{$randomUUID}} {{$randomInt}} {{$randomInt}}';
    const first = renderString(template, vars, { dynamic: createBuiltinDynamicValues({ seed: 42 }) });
    const second = renderString(template, vars, { dynamic: createBuiltinDynamicValues({ seed: 42 }) });
    const other = renderString(template, vars, { dynamic: createBuiltinDynamicValues({ seed: 43 }) });
    expect(second).toBe(first);
    expect(other).not.toBe(first);
    for (const uuid of first.split(' ').slice(0, 2)) expect(uuid).toMatch(UUID_V4);
  });

  it('read time from the clock given', () => {
    const dynamic = createBuiltinDynamicValues({ now: () => Date.UTC(2024, 0, 2, 3, 4, 5, 678) });
    expect(renderString('{{$timestamp}} {{$isoTimestamp}}', vars, { dynamic })).toBe('1704164645 2024-01-02T03:04:05.678Z');
    expect(renderString('{{$date.now | format("YYYY-MM-DD")}}', vars, { dynamic })).toBe('2024-01-02');
    expect(renderValue('{{$date.now}}', vars, { dynamic })).toBe('2024-01-02T03:04:05.678Z');
  });

  it('throw USAGE when a value needs faker and none is loaded', () => {
    const error = expectSortieError(() => renderString('{{$person.fullName}}', vars), ErrorCode.USAGE);
    expect(error.message).toContain('$person.fullName');
    expectSortieError(() => renderString('{{$randomEmail}}', vars), ErrorCode.USAGE);
    expectSortieError(() => renderString('{{$randomPhoneNumberExt}}', vars), ErrorCode.USAGE);
  });
});
