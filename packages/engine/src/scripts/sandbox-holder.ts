import type { Sandbox, SandboxOptions } from '@sortie/sandbox';

/**
 * One QuickJS sandbox per run, created on the first script (the QuickJS module and the bundled
 * libraries load only then) and disposed when the run ends.
 */
export function createSandboxHolder(options: SandboxOptions = {}) {
  let sandbox: Promise<Sandbox> | undefined;
  return {
    get(): Promise<Sandbox> {
      sandbox ??= import('@sortie/sandbox').then(({ createSandbox }) => createSandbox(options));
      return sandbox;
    },
    async dispose(): Promise<void> {
      if (sandbox !== undefined) (await sandbox.catch(() => undefined))?.dispose();
    },
  };
}
export type SandboxHolder = ReturnType<typeof createSandboxHolder>;
