/**
 * The sandbox's globals as the Node modules of url/, util/, querystring/ and timers/ see them
 * (each module is evaluated in the guest's global scope, after the kernel has defined these).
 */
// biome-ignore lint/suspicious/noExplicitAny: a module's exports, whatever its shape
declare function require(name: string): any;
declare function setTimeout(fn: (...args: never[]) => unknown, ms?: number, ...args: unknown[]): number;
declare function clearTimeout(id: number | undefined): void;
declare function setInterval(fn: (...args: never[]) => unknown, ms?: number, ...args: unknown[]): number;
declare function clearInterval(id: number | undefined): void;
declare function setImmediate(fn: (...args: never[]) => unknown, ...args: unknown[]): number;
declare function clearImmediate(id: number | undefined): void;
