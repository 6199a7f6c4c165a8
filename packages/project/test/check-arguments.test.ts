import { describe, expect, it, vi } from 'vitest';
import { checkScriptArguments } from '../src/index.js';

describe('checkScriptArguments', () => {
  const parameters = {
    type: 'object',
    required: ['email'],
    properties: { email: { type: 'string', format: 'email' }, id: { type: 'string', format: 'snowflake' } },
  };

  it('prints nothing for a format it does not know (Ajv warned on stderr, "unknown format ... ignored")', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await checkScriptArguments('lib/notify', parameters, { email: 'ann@example.com', id: '42' });
      expect(warn).not.toHaveBeenCalled();
      expect(log).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });

  it('refuses arguments that do not match, naming the script and the argument', async () => {
    await expect(checkScriptArguments('lib/notify', parameters, { id: 7 })).rejects.toThrow(
      `arguments of "lib/notify" do not match its parameters: with must have required property 'email'; with.id must be string`,
    );
  });
});
