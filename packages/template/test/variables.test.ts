import { ErrorCode } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { SCOPE_ORDER, type ScopeName, Variables } from '../src/index.js';
import { expectSortieError } from './helpers.js';

describe('Variables', () => {
  it('orders scopes local, data, scenario, environment, defaults, global', () => {
    expect(SCOPE_ORDER).toEqual(['local', 'data', 'scenario', 'environment', 'defaults', 'global']);
  });

  it('returns the value of the highest scope that has the name', () => {
    const vars = new Variables({ global: { a: 'global' }, environment: { a: 'env' }, scenario: { a: 'scenario' } });
    expect(vars.get('a')).toBe('scenario');
    vars.set('data', 'a', 'data');
    expect(vars.get('a')).toBe('data');
    vars.set('local', 'a', 'local');
    expect(vars.get('a')).toBe('local');
    vars.unset('local', 'a');
    expect(vars.get('a')).toBe('data');
  });

  it('puts the defaults below the environment and above globals, as Postman puts collection variables', () => {
    const vars = new Variables({
      global: { a: 'global', b: 'global' },
      defaults: { a: 'defaults', b: 'defaults' },
      environment: { a: 'env' },
    });
    expect(vars.get('a')).toBe('env');
    expect(vars.get('b')).toBe('defaults');
    expect(vars.toObject()).toEqual({ a: 'env', b: 'defaults' });
    const forked = vars.fork(['environment', 'global']);
    forked.set('defaults', 'b', 'changed in a fork');
    expect(vars.get('b')).toBe('defaults');
  });

  it('walks every scope in precedence order', () => {
    const vars = new Variables();
    const order = [...SCOPE_ORDER].reverse();
    for (const scope of order) {
      vars.set(scope, 'x', scope);
      expect(vars.get('x')).toBe(scope);
    }
    for (const scope of SCOPE_ORDER) {
      expect(vars.get('x')).toBe(scope);
      vars.unset(scope, 'x');
    }
    expect(vars.has('x')).toBe(false);
  });

  it('reports undefined and has() false for a name no scope defines', () => {
    const vars = new Variables({ global: { a: 1 } });
    expect(vars.get('missing')).toBeUndefined();
    expect(vars.has('missing')).toBe(false);
    expect(vars.has('a')).toBe(true);
  });

  it('reads a single scope with getIn', () => {
    const vars = new Variables({ environment: { a: 'env' }, global: { a: 'global' } });
    expect(vars.getIn('global', 'a')).toBe('global');
    expect(vars.getIn('local', 'a')).toBeUndefined();
  });

  it('clears one scope only', () => {
    const vars = new Variables({ local: { a: 1, b: 2 }, scenario: { a: 'kept' } });
    vars.clear('local');
    expect(vars.toObject('local')).toEqual({});
    expect(vars.get('a')).toBe('kept');
    expect(vars.has('b')).toBe(false);
  });

  it('returns one scope or the merged view from toObject', () => {
    const vars = new Variables({ global: { a: 'g', g: 1 }, scenario: { a: 's', s: 2 }, local: { l: 3 } });
    expect(vars.toObject('global')).toEqual({ a: 'g', g: 1 });
    expect(vars.toObject()).toEqual({ a: 's', g: 1, s: 2, l: 3 });
  });

  it('copies unshared scopes when forking, so a fork does not see or change the original', () => {
    const vars = new Variables({ scenario: { a: 1 }, environment: { e: 1 } });
    const fork = vars.fork();
    fork.set('scenario', 'a', 2);
    fork.set('local', 'b', 3);
    vars.set('environment', 'e', 2);
    expect(vars.get('a')).toBe(1);
    expect(vars.has('b')).toBe(false);
    expect(fork.get('a')).toBe(2);
    expect(fork.get('e')).toBe(1);
  });

  it('shares the scopes named when forking', () => {
    const vars = new Variables({ environment: { e: 1 }, global: { g: 1 } });
    const fork = vars.fork(['environment', 'global']);
    fork.set('environment', 'e', 2);
    vars.set('global', 'g', 2);
    expect(vars.get('e')).toBe(2);
    expect(fork.get('g')).toBe(2);
  });

  it('keeps sibling forks isolated from each other', () => {
    const vars = new Variables({ scenario: { n: 0 } });
    const forks = [vars.fork(['global']), vars.fork(['global'])];
    forks[0]!.set('data', 'row', 'first');
    forks[1]!.set('data', 'row', 'second');
    expect(forks[0]!.get('row')).toBe('first');
    expect(forks[1]!.get('row')).toBe('second');
    expect(vars.has('row')).toBe(false);
  });

  it('remembers secret names, also across forks', () => {
    const vars = new Variables();
    vars.markSecret('token');
    expect(vars.isSecret('token')).toBe(true);
    expect(vars.isSecret('user')).toBe(false);
    const fork = vars.fork();
    expect(fork.isSecret('token')).toBe(true);
    fork.markSecret('password');
    expect(vars.isSecret('password')).toBe(true);
  });

  it('rejects an unknown scope with a USAGE error', () => {
    const vars = new Variables();
    expectSortieError(() => vars.set('session' as ScopeName, 'a', 1), ErrorCode.USAGE);
  });
});
