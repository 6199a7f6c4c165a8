import * as core from '@sortie/core';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { deferred, once } from '../src/deferred-schema.js';

/** Every exported schema of @sortie/core that is built on first use. */
const deferredExports: Array<[string, z.ZodLazy<z.ZodType>]> = Object.entries(core).flatMap(([name, value]) =>
  value instanceof z.ZodLazy ? [[name, value as z.ZodLazy<z.ZodType>] as [string, z.ZodLazy<z.ZodType>]] : [],
);

describe('deferred schemas', () => {
  it('covers the auth, signing-scheme, database, environment and project schemas and the step kinds but `request`', () => {
    const names = deferredExports.map(([name]) => name);
    for (const name of [
      'AuthProfileSchema',
      'SigningProfileSchema',
      'AnyAuthProfileSchema',
      'DatabaseConnectionSchema',
      'DbOperationSchema',
      'EnvironmentSchema',
      'ServiceSchema',
      'ProjectSchema',
      'RunHookSchema',
      ...['Db', 'Group', 'If', 'Loop', 'ForEach', 'Wait', 'Script', 'Include', 'Break'].map((kind) => `${kind}StepSchema`),
    ]) {
      expect(names).toContain(name);
    }
  });

  it.each(deferredExports)('%s says what its built schema says about being optional', (_name, schema) => {
    const declared = { optin: schema._zod.optin, optout: schema._zod.optout };
    const inner = schema.unwrap();
    expect(inner).toBeInstanceOf(z.ZodType);
    expect(inner).not.toBeInstanceOf(z.ZodLazy);
    expect(declared).toEqual({ optin: inner._zod.optin, optout: inner._zod.optout });
  });

  it('parses and reports like the schema it stands for', () => {
    const inner = z.strictObject({ type: z.literal('a'), n: z.number().int() });
    const schema = deferred(() => inner);
    for (const input of [{ type: 'a', n: 1 }, { type: 'a', n: 1.5 }, { type: 'b' }, 'x', undefined]) {
      expect(schema.safeParse(input)).toEqual(inner.safeParse(input));
    }
    const holder = z.strictObject({ maybe: schema.optional(), other: z.string() });
    expect(holder.safeParse({ other: 'x' })).toEqual({ success: true, data: { other: 'x' } });
    expect(holder.safeParse({ other: 'x', maybe: { type: 'a', n: 'no' } }).error?.issues).toEqual(
      z.strictObject({ maybe: inner.optional(), other: z.string() }).safeParse({ other: 'x', maybe: { type: 'a', n: 'no' } }).error?.issues,
    );
  });

  it('builds the schema only when a value reaches it', () => {
    let builds = 0;
    const schema = deferred(() => {
      builds++;
      return z.strictObject({ n: z.number() });
    });
    // An object with the deferred schema as an optional field, parsed without that field: not built.
    const holder = z.strictObject({ maybe: schema.optional(), other: z.string() });
    expect(holder.parse({ other: 'x' })).toEqual({ other: 'x' });
    expect(z.union([z.literal('none'), schema]).parse('none')).toBe('none');
    expect(builds).toBe(0);
    expect(holder.parse({ other: 'x', maybe: { n: 1 } })).toEqual({ other: 'x', maybe: { n: 1 } });
    expect(builds).toBe(1);
    expect(schema.parse({ n: 2 })).toEqual({ n: 2 });
    expect(builds).toBe(1);
  });

  it('builds no step kind but `request` and no environment or project schema for a scenario of requests', async () => {
    vi.resetModules();
    const fresh = (await import('../src/scenario-schema.js')) as unknown as Record<string, z.ZodType>;
    const scenario = { name: 's', steps: [{ request: { url: '/a' }, post: [{ assert: { status: { equals: 200 } } }] }] };
    expect(fresh.ScenarioSchema?.safeParse(scenario).success).toBe(true);
    const kinds = ['Db', 'Group', 'If', 'Loop', 'ForEach', 'Wait', 'Script', 'Include', 'Break'].map((kind) => `${kind}StepSchema`);
    const watched = [...kinds, 'EnvironmentSchema', 'ServiceSchema', 'ProjectSchema', 'RunHookSchema'];
    // z.lazy keeps the schema it built on its definition.
    const built = (name: string) => (fresh[name] as z.ZodLazy<z.ZodType>)._zod.def as unknown as { _cachedInner?: unknown };
    expect(watched.filter((name) => built(name)._cachedInner !== undefined)).toEqual([]);
    expect(fresh.ScenarioSchema?.safeParse({ name: 's', steps: [{ wait: 1 }] }).success).toBe(true);
    expect(kinds.filter((name) => built(name)._cachedInner !== undefined)).toEqual([
      'DbStepSchema',
      'GroupStepSchema',
      'IfStepSchema',
      'LoopStepSchema',
      'ForEachStepSchema',
      'WaitStepSchema',
    ]);
  });

  it('once builds a value on the first call only', () => {
    let calls = 0;
    const get = once(() => ({ call: ++calls }));
    expect(calls).toBe(0);
    expect(get()).toBe(get());
    expect(calls).toBe(1);
  });
});
