/**
 * Host functions callable from the guest. Arguments arrive as plain values (strings, numbers,
 * booleans; anything else is dumped); a host function returns a plain value, a QuickJS handle it
 * owns, or a promise, which becomes a guest promise settled later by the drain loop.
 */
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten';
import type { RunState } from './run-state.js';

export type HostValue = string | number | boolean | undefined | null | QuickJSHandle;
export type HostFunction = (...args: unknown[]) => HostValue | Promise<HostValue>;
export type HostFunctions = Record<string, HostFunction>;

/** Gives host functions the run in progress; throws when called between runs. */
export type CurrentRun = () => RunState;

/** Converts a guest value handle into a host value (strings and numbers without a round trip through JSON). */
export function readGuestValue(vm: QuickJSContext, handle: QuickJSHandle): unknown {
  switch (vm.typeof(handle)) {
    case 'string':
      return vm.getString(handle);
    case 'number':
      return vm.getNumber(handle);
    case 'undefined':
      return undefined;
    default:
      return vm.dump(handle);
  }
}

/** Converts a host value into a guest handle the caller owns. */
export function newGuestValue(vm: QuickJSContext, value: HostValue): QuickJSHandle {
  if (value === undefined) return vm.undefined;
  if (value === null) return vm.null;
  if (typeof value === 'string') return vm.newString(value);
  if (typeof value === 'number') return vm.newNumber(value);
  if (typeof value === 'boolean') return value ? vm.true : vm.false;
  return value;
}

/**
 * Builds the guest `host` object holding every host function. Promises returned by a host
 * function become guest promises; their settlement is queued on the current run.
 */
export function createHostObject(vm: QuickJSContext, functions: HostFunctions, currentRun: CurrentRun): QuickJSHandle {
  const host = vm.newObject();
  for (const [name, fn] of Object.entries(functions)) {
    const handle = vm.newFunction(name, (...args) => {
      let result: HostValue | Promise<HostValue>;
      try {
        result = fn(...args.map((arg) => readGuestValue(vm, arg)));
      } catch (error) {
        // Thrown as the guest's own Error, not QuickJS's copy of the host error's name (`SortieError: …`).
        return { error: newGuestError(vm, error) };
      }
      if (!(result instanceof Promise)) return newGuestValue(vm, result);
      return settleLater(vm, result, currentRun());
    });
    vm.setProp(host, name, handle);
    handle.dispose();
  }
  return host;
}

function settleLater(vm: QuickJSContext, promise: Promise<HostValue>, run: RunState): QuickJSHandle {
  const deferred = vm.newPromise();
  const cleanup = () => {
    if (deferred.alive) deferred.dispose();
  };
  run.cleanups.add(cleanup);
  run.pending++;
  const settle = (ok: boolean, value: unknown) => {
    if (run.closed) return;
    run.pending--;
    run.post(() => {
      run.cleanups.delete(cleanup);
      if (!deferred.alive) return;
      const handle = ok ? newGuestValue(vm, value as HostValue) : newGuestError(vm, value);
      if (ok) deferred.resolve(handle);
      else deferred.reject(handle);
      if (handle.alive && handle !== vm.undefined && handle !== vm.null && handle !== vm.true && handle !== vm.false) handle.dispose();
      deferred.dispose();
    });
  };
  promise.then(
    (value) => settle(true, value),
    (error: unknown) => settle(false, error),
  );
  return deferred.handle;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Error classes a script knows; any other host error (a SortieError…) reaches it as an `Error`. */
const GUEST_ERROR_NAMES = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'URIError', 'EvalError']);

/**
 * The guest's Error for a failed host call: its message and, when a Node system error caused it, that
 * error's `code` (`ECONNREFUSED`, `ENOTFOUND`, `ETIMEDOUT`…), which scripts test as they do in Node
 * and in Postman (`if (err.code === 'ECONNREFUSED')` in a `pm.sendRequest` callback).
 */
function newGuestError(vm: QuickJSContext, error: unknown): QuickJSHandle {
  const name = error instanceof Error && GUEST_ERROR_NAMES.has(error.name) ? error.name : 'Error';
  const handle = vm.newError({ name, message: errorMessage(error) });
  const code = systemErrorCode(error);
  if (code !== undefined) vm.newString(code).consume((text) => vm.setProp(handle, 'code', text));
  return handle;
}

/** Node's system error codes: `E` and capitals (libuv's names), not Sortie's `SORTIE_…` nor undici's `UND_ERR_…`. */
const SYSTEM_ERROR_CODE = /^E[A-Z0-9]+$/;

/** The first system error code in `error`, its causes and (happy eyeballs) the first of an AggregateError's errors. */
function systemErrorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const { code, errors, cause } = current as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof code === 'string' && SYSTEM_ERROR_CODE.test(code)) return code;
    current = Array.isArray(errors) && errors.length > 0 ? errors[0] : cause;
  }
  return undefined;
}
