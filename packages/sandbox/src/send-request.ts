/**
 * `pm.sendRequest(request, callback?)`: the only way out of the sandbox. The request goes to the
 * host's `ScriptContext.sendRequest` (Sortie's HTTP stack); both the callback form and the promise
 * form are supported, so `await pm.sendRequest(…)` and request chains work.
 *
 * @see https://learning.postman.com/docs/tests-and-scripts/write-scripts/postman-sandbox-reference/pm-sendrequest/
 */
import { ErrorCode, SortieError } from '@sortie/core';
import type { CurrentRun, HostFunctions } from './host-bridge.js';
import { describeResponse } from './pm-response.js';
import type { ScriptRequest } from './types.js';

/** Host side: forwards the request to `ScriptContext.sendRequest`. */
export function createSendRequestHostFunctions(currentRun: CurrentRun): HostFunctions {
  return {
    sendRequest: async (json) => {
      const { ctx } = currentRun();
      if (ctx.sendRequest === undefined) {
        throw new SortieError(ErrorCode.SCRIPT, 'pm.sendRequest unavailable', 'pm.sendRequest is not available in this script');
      }
      const request = JSON.parse(String(json)) as ScriptRequest | string;
      // A request still in flight when the run ends (an error, the time limit) is cut, not left to
      // hold the process open until the server answers.
      const run = currentRun();
      const abort = new AbortController();
      const cut = () => abort.abort(new Error('the script run ended'));
      run.cleanups.add(cut);
      try {
        const response = await ctx.sendRequest(request, abort.signal);
        return JSON.stringify(describeResponse(response, true));
      } finally {
        run.cleanups.delete(cut);
      }
    },
    cookieJar: async (url) => {
      const { ctx } = currentRun();
      if (ctx.cookiesFor === undefined) return JSON.stringify(ctx.cookies ?? {});
      return JSON.stringify(await ctx.cookiesFor(String(url)));
    },
  };
}
