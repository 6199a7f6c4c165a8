import { describe, expect, it } from 'vitest';

describe('lazy selector support', () => {
  it('loads xmldom, xpath and ajv only when asked, and selectors then work', async () => {
    // A fresh module graph: the setup file loaded support for the other tests' graph only.
    const { vi } = await import('vitest');
    vi.resetModules();
    const fresh = await import('../src/lazy-modules.js');
    expect(() => fresh.getXmlModules()).toThrow(/not loaded/);
    expect(() => fresh.getSchemaModules()).toThrow(/not loaded/);
    await fresh.loadSelectorSupport({ xml: true, schema: false });
    expect(typeof fresh.getXmlModules().xpath.select).toBe('function');
    expect(() => fresh.getSchemaModules()).toThrow(/not loaded/);
    await fresh.loadSelectorSupport({ schema: true, xml: false });
    expect(typeof fresh.getSchemaModules().Ajv).toBe('function');
  });
});
