let timerSequence = 0;
const timerCallbacks = new Map();
function scheduleTimer(fn, ms, args, repeat) {
  if (typeof fn !== 'function') throw new TypeError('the callback of a timer must be a function');
  const id = ++timerSequence;
  const delay = Math.max(0, Number(ms) || 0);
  timerCallbacks.set(id, { fn, args, delay, repeat });
  host.setTimer(id, delay);
  return id;
}
function cancelTimer(id) {
  if (timerCallbacks.delete(id)) host.clearTimer(id);
}
function fireTimer(id) {
  const timer = timerCallbacks.get(id);
  if (timer === undefined) return;
  if (timer.repeat) host.setTimer(id, timer.delay);
  else timerCallbacks.delete(id);
  try {
    timer.fn.apply(undefined, timer.args);
  } catch (error) {
    recordError(error);
  }
}
const timerGlobals = {
  setTimeout: (fn, ms, ...args) => scheduleTimer(fn, ms, args, false),
  setInterval: (fn, ms, ...args) => scheduleTimer(fn, ms, args, true),
  setImmediate: (fn, ...args) => scheduleTimer(fn, 0, args, false),
  clearTimeout: cancelTimer,
  clearInterval: cancelTimer,
  clearImmediate: cancelTimer,
};
