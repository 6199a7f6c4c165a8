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

/** Guest source: `toScriptRequest(input)` and `createSendRequest()`. */
export const SEND_REQUEST_SOURCE = `
function toHeaderPairs(header) {
  if (!header) return [];
  if (header instanceof PropertyList) header = header.all();
  if (Array.isArray(header)) return header.filter((h) => !h.disabled).map((h) => { const kv = toKeyValue(h); return [kv.key, String(kv.value)]; });
  return Object.keys(header).map((key) => [key, String(header[key])]);
}
function toBodyText(body) {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  const holder = new RequestBody('');
  if (body.mode === 'formdata' && Array.isArray(body.formdata)) holder.update({ mode: 'urlencoded', urlencoded: body.formdata });
  else if (body.mode === 'graphql' && body.graphql) holder.update(JSON.stringify(body.graphql));
  else holder.update(body);
  return holder.raw;
}
function toScriptRequest(input) {
  if (typeof input === 'string' || input instanceof Url) return String(input);
  if (!input || typeof input !== 'object') throw new TypeError('pm.sendRequest expects a URL or a request object');
  const out = { method: String(input.method || 'GET').toUpperCase(), url: String(input.url), headers: toHeaderPairs(input.header || input.headers) };
  const body = toBodyText(input.body);
  if (body !== undefined) {
    out.body = body;
    if (input.body && input.body.mode === 'urlencoded' && !out.headers.some((h) => h[0].toLowerCase() === 'content-type')) {
      out.headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    }
  }
  return out;
}
function createSendRequest() {
  return function sendRequest(input, callback) {
    const request = toScriptRequest(input);
    flushVariableWrites();
    const promise = promiseThen.call(host.sendRequest(JSON.stringify(request)), (json) => {
      return responseFromMeta(JSON.parse(json));
    });
    if (typeof callback !== 'function') return promise;
    const call = (error, response) => {
      try { callback(error, response); } catch (thrown) { recordError(thrown); }
      return response;
    };
    return promiseThen.call(promise, (response) => call(null, response), (error) => call(error, undefined));
  };
}
`;

/** Host side: forwards the request to `ScriptContext.sendRequest`. */
export function createSendRequestHostFunctions(currentRun: CurrentRun): HostFunctions {
  return {
    sendRequest: async (json) => {
      const { ctx } = currentRun();
      if (ctx.sendRequest === undefined) {
        throw new SortieError(ErrorCode.SCRIPT, 'pm.sendRequest unavailable', 'pm.sendRequest is not available in this script');
      }
      const request = JSON.parse(String(json)) as ScriptRequest | string;
      const response = await ctx.sendRequest(request);
      return JSON.stringify(describeResponse(response, true));
    },
  };
}
