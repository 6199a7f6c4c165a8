/**
 * `pm.cookies` (get / has / toObject / all) and a minimal `pm.cookies.jar()` working on the
 * cookies the engine passed for the request's URL. Jar writes are visible to the same script only.
 *
 * @see https://learning.postman.com/docs/tests-and-scripts/write-scripts/postman-sandbox-reference/pm-cookies/
 */

/** Guest source: `createCookies(map)`. */
export const PM_COOKIES_SOURCE = `
function createCookies(map) {
  const has = (name) => Object.prototype.hasOwnProperty.call(map, name);
  const done = (callback, error, value) => {
    if (typeof callback === 'function') callback(error, value);
  };
  const all = () => Object.keys(map).map((name) => ({ name, value: map[name] }));
  const jar = {
    get: (url, name, callback) => done(callback, null, has(name) ? map[name] : undefined),
    getAll: (url, callback) => done(callback, null, all()),
    set: (url, name, value, callback) => {
      if (name && typeof name === 'object') {
        callback = value;
        value = name.value;
        name = name.name;
      }
      map[String(name)] = String(value);
      done(callback, null, { name: String(name), value: String(value) });
    },
    unset: (url, name, callback) => { delete map[name]; done(callback, null); },
    clear: (url, callback) => { for (const name of Object.keys(map)) delete map[name]; done(callback, null); },
  };
  return {
    get: (name) => (has(name) ? map[name] : undefined),
    has: (name, value) => has(name) && (value === undefined || map[name] === value),
    toObject: () => Object.assign({}, map),
    all,
    count: () => Object.keys(map).length,
    jar: () => jar,
  };
}
`;
