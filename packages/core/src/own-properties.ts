/**
 * Name → value records whose names come from users (variables, secrets, `.env` lines): a name like
 * `__proto__`, `constructor` or `toString` is an ordinary name there. Plain assignment
 * (`record["__proto__"] = value`) would set the record's prototype instead of adding the name, and
 * plain reads (`record["constructor"]`) would find what Object.prototype has.
 */

/** `record[name]` when `record` has it as its own property; never a value inherited from Object.prototype. */
export function readOwn<T>(record: Readonly<Record<string, T>> | undefined, name: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, name) ? record[name] : undefined;
}

/** Sets `name` on `record` as an own, enumerable data property (as `Object.fromEntries` does), `__proto__` included. */
export function setOwn<T>(record: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
}
