/**
 * Debian's Chromium for the browser tests (never a downloaded browser): where it is, and the flags
 * every test launches it with (headless, no sandbox, nothing that reaches the network on its own).
 */
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
