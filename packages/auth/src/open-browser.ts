/**
 * Opening the system browser at a URL: `$BROWSER` when set, else `open` (macOS), `cmd /c start` (Windows) or
 * `xdg-open` (others).
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-6
 */
import { spawn } from 'node:child_process';
import { ErrorCode, SortieError } from '@sortie/core';

export interface OpenBrowserOptions {
  /** Environment to read BROWSER from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Platform (default process.platform). */
  platform?: NodeJS.Platform;
}

/** The command and arguments that open `url`. */
export function selectBrowserCommand(url: string, options: OpenBrowserOptions = {}): [string, string[]] {
  const browser = (options.env ?? process.env).BROWSER;
  if (browser !== undefined && browser !== '') return [browser, [url]];
  const platform = options.platform ?? process.platform;
  if (platform === 'darwin') return ['open', [url]];
  // `start` treats the first quoted argument as a window title, hence the empty "".
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]];
  return ['xdg-open', [url]];
}

/** Starts the browser and resolves once it was spawned (it is not waited for). */
export function openBrowser(url: string, options: OpenBrowserOptions = {}): Promise<void> {
  const [command, args] = selectBrowserCommand(url, options);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', (error) =>
      reject(
        new SortieError(ErrorCode.USAGE, 'Cannot open a browser', `starting ${command} failed: ${error.message}`, {
          hint: 'use --no-browser and open the printed URL yourself',
        }),
      ),
    );
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
