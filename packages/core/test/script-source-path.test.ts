import { describe, expect, it } from 'vitest';
import { isScriptSourcePath } from '../src/index.js';

describe('isScriptSourcePath', () => {
  it('accepts inline script source of steps and processors at any depth', () => {
    expect(isScriptSourcePath(['steps', 0, 'script'])).toBe(true);
    expect(isScriptSourcePath(['steps', 0, 'script', 'source'])).toBe(true);
    expect(isScriptSourcePath(['steps', 2, 'post', 1, 'script'])).toBe(true);
    expect(isScriptSourcePath(['steps', 2, 'pre', 0, 'script', 'source'])).toBe(true);
    expect(isScriptSourcePath(['steps', 1, 'group', 'steps', 0, 'if', 'else', 3, 'loop', 'steps', 0, 'script'])).toBe(true);
    expect(isScriptSourcePath(['steps', 1, 'forEach', 'steps', 0, 'if', 'then', 0, 'post', 0, 'script'])).toBe(true);
  });

  it('rejects everything else: script arguments and names, variables called script, requests', () => {
    expect(isScriptSourcePath(['steps', 0, 'script', 'with', 'key'])).toBe(false);
    expect(isScriptSourcePath(['steps', 0, 'script', 'name'])).toBe(false);
    expect(isScriptSourcePath(['steps', 0, 'script', 'file'])).toBe(false);
    expect(isScriptSourcePath(['variables', 'script'])).toBe(false);
    expect(isScriptSourcePath(['steps', 0, 'request', 'body', 'json', 'script'])).toBe(false);
    expect(isScriptSourcePath(['steps', 0, 'group', 'then', 0, 'script'])).toBe(false);
    expect(isScriptSourcePath(['steps', 0, 'post', 0, 'assert', 'script'])).toBe(false);
    expect(isScriptSourcePath(['steps'])).toBe(false);
  });
});
