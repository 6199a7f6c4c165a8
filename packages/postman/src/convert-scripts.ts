/** Postman events (`prerequest`, `test`) → Sortie script processors, in Postman's order. */
import type { Processor } from '@sortie/core';
import type { PmEvent } from './collection-types.js';

/** The script source of one event kind at one level (collection, folder or request), or undefined. */
export function eventSource(events: readonly PmEvent[] | undefined, listen: string): string | undefined {
  const sources: string[] = [];
  for (const event of events ?? []) {
    if (event === null || typeof event !== 'object' || event.listen !== listen || event.disabled === true) continue;
    const script = event.script;
    if (script === undefined || typeof script === 'string') continue;
    const exec = Array.isArray(script.exec) ? script.exec.join('\n') : (script.exec ?? '');
    if (exec.trim() !== '') sources.push(exec);
  }
  return sources.length === 0 ? undefined : sources.join('\n');
}

/** One level's script of an event, as the processor a request step runs. */
export interface LevelScript {
  /** The level's path: the collection's name, or `Folder/Sub/Request`. */
  path: string;
  source: string;
}

/** Script processors named `<path> (pre-request)` / `<path> (test)`, as Postman names them in its console. */
export function scriptProcessors(levels: readonly LevelScript[], kind: 'pre-request' | 'test'): Processor[] {
  return levels.map(({ path, source }) => ({ script: { source, name: `${path} (${kind})` } }));
}

/** Whether any script of the collection calls setNextRequest (then folders cannot be groups: a jump may cross them). */
export function usesSetNextRequest(source: string): boolean {
  return /\bsetNextRequest\s*\(/.test(source);
}
