/**
 * Keeps the shared intrinsics the same from one run to the next at no per-run cost: the built-in
 * prototypes are frozen once, when the kernel is built, instead of being compared and restored
 * after every run (a property-by-property check costs 100+ µs per run in QuickJS).
 *
 * Freezing alone would break ordinary code through JavaScript's "override mistake": assigning
 * `obj.toString = …` or `err.name = …` fails when the inherited property is read-only. As in SES
 * (`lockdown()` with override taming), the properties code commonly overrides become accessors
 * whose setter defines an own property on the receiver, so those assignments keep working.
 *
 * Globals: the global object's own properties are made read-only and permanent once; after a run
 * only the globals a script added are removed, and its prototype is reset. Finding additions must
 * not cost a list of all ~90 globals per run: a global a script adds is enumerable (assignment,
 * sloppy-mode implicit global, `var` in indirect eval) unless it went through
 * `Object.defineProperty` / `Object.defineProperties` / `Reflect.defineProperty` /
 * `__defineGetter__` / `__defineSetter__`, which are wrapped once to note a definition on the
 * global object. So a run copies the global's enumerable own properties, string and symbol keys
 * (`{ ...global }`: one walk of its properties in QuickJS, 2.5–4.7 µs, where `Object.keys` looks
 * every key up again, 6–12 µs, and the symbols took a second walk), and lists every key only after
 * a definition was noted or the copy found something. The copy reads only data properties: an
 * accessor a script adds comes from a noted definition, and the check stops there.
 * A global object made non-extensible, or given a global that cannot be deleted, cannot be put
 * back: the host then starts a fresh context.
 *
 * @see https://github.com/endojs/endo/blob/master/packages/ses/docs/lockdown.md#overridetaming-options
 */
const ownKeys = Reflect.ownKeys;
const describeOwn = Object.getOwnPropertyDescriptor;
const defineOwn = Object.defineProperty;
const createObject = Object.create;
const freeze = Object.freeze;
const getPrototype = Object.getPrototypeOf;
const setPrototype = Object.setPrototypeOf;
const isExtensible = Object.isExtensible;
const defineAll = Object.defineProperties;
const reflectDefine = Reflect.defineProperty;
/** Set when a script defined a property on the global object through the define functions. */
let globalDefinitionNoted = false;
/** Properties code overrides on its own objects (`Foo.prototype.toString = …`): assignable on inheritors. */
const OVERRIDABLE = ['constructor', 'toString', 'toLocaleString', 'valueOf', 'next', Symbol.toStringTag];
/** Deletes a property; false when it cannot be deleted (non-configurable). */
function forget(target, key) {
  try {
    return delete target[key];
  } catch (error) {
    return false;
  }
}
/** Turns a data property of a prototype about to be frozen into a getter plus a setter that shadows it on the receiver. */
function allowOverride(target, key) {
  const d = describeOwn(target, key);
  if (d === undefined || !('value' in d) || !d.configurable) return;
  const value = d.value;
  // biome-ignore lint/complexity/useArrowFunction: an accessor like the `set` below (a function, with a prototype)
  const get = freeze(function () {
    return value;
  });
  const set = freeze(function (next) {
    if (this === target || this === null || (typeof this !== 'object' && typeof this !== 'function')) return;
    defineOwn(this, key, { value: next, writable: true, enumerable: true, configurable: true });
  });
  defineOwn(target, key, { get, set, enumerable: d.enumerable, configurable: false });
}
function hardenIntrinsics(prototypes, fullyOverridable) {
  for (let i = 0; i < fullyOverridable.length; i++) {
    const keys = ownKeys(fullyOverridable[i]);
    for (let k = 0; k < keys.length; k++) allowOverride(fullyOverridable[i], keys[k]);
  }
  for (let i = 0; i < prototypes.length; i++) {
    for (let k = 0; k < OVERRIDABLE.length; k++) allowOverride(prototypes[i], OVERRIDABLE[k]);
    freeze(prototypes[i]);
  }
}
/** Replaces the three define functions with ones that note a definition on `global` (same names and lengths). */
function watchGlobalDefinitions(global) {
  const wrappers = {
    defineProperty(target, key, descriptor) {
      if (target === global) globalDefinitionNoted = true;
      return defineOwn(target, key, descriptor);
    },
    defineProperties(target, descriptors) {
      if (target === global) globalDefinitionNoted = true;
      return defineAll(target, descriptors);
    },
  };
  const reflectWrapper = {
    defineProperty(target, key, descriptor) {
      if (target === global) globalDefinitionNoted = true;
      return reflectDefine(target, key, descriptor);
    },
  };
  defineOwn(Object, 'defineProperty', { value: wrappers.defineProperty });
  defineOwn(Object, 'defineProperties', { value: wrappers.defineProperties });
  defineOwn(Reflect, 'defineProperty', { value: reflectWrapper.defineProperty });
  // Annex B's legacy accessors define enumerable accessors: noted too, so the check never calls a script's getter.
  const legacyPrototype = /** @type {{ __defineGetter__: Function, __defineSetter__: Function }} */ (
    /** @type {unknown} */ (Object.prototype)
  );
  const defineGetter = legacyPrototype.__defineGetter__;
  const defineSetter = legacyPrototype.__defineSetter__;
  const legacy = {
    __defineGetter__(key, getter) {
      if (this === global) globalDefinitionNoted = true;
      return defineGetter.call(this, key, getter);
    },
    __defineSetter__(key, setter) {
      if (this === global) globalDefinitionNoted = true;
      return defineSetter.call(this, key, setter);
    },
  };
  defineOwn(Object.prototype, '__defineGetter__', { value: legacy.__defineGetter__ });
  defineOwn(Object.prototype, '__defineSetter__', { value: legacy.__defineSetter__ });
}
/** How many enumerable own properties (string and symbol keys) `global` has: the size of a copy of them. */
function countEnumerable(global) {
  return ownKeys({ ...global }).length;
}
function lockGlobals(global) {
  const keys = ownKeys(global);
  const known = createObject(null);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    known[key] = true;
    const d = describeOwn(global, key);
    if ('value' in d) {
      if (d.writable || d.configurable) defineOwn(global, key, { value: d.value, writable: false, configurable: false });
    } else if (d.configurable) defineOwn(global, key, { configurable: false });
  }
  globalDefinitionNoted = false;
  return {
    global,
    known,
    count: keys.length,
    enumerable: countEnumerable(global),
    prototype: getPrototype(global),
  };
}
/**
 * Returns false when the global object can no longer be put back: a script made it non-extensible,
 * or added a global that cannot be deleted (defined non-configurable).
 */
function removeAddedGlobals(lock) {
  const global = lock.global;
  if (!isExtensible(global)) return false;
  if (getPrototype(global) !== lock.prototype) setPrototype(global, lock.prototype);
  if (!globalDefinitionNoted && countEnumerable(global) === lock.enumerable) return true;
  globalDefinitionNoted = false;
  const keys = ownKeys(global);
  if (keys.length === lock.count) return true;
  let removed = true;
  for (let k = 0; k < keys.length; k++) if (!(keys[k] in lock.known) && !forget(global, keys[k])) removed = false;
  return removed;
}
