/**
 * Postman's `PropertyList` (postman-collection's base class of header, query and cookie lists):
 * the read side shared by `KeyValueList` (pm-request.js: headers and query parameters) and
 * `CookieList` (pm-cookies.js). A subclass says how a key is found (`_find`) and how the list
 * reads as an object and as text (`toObject`, `toString`).
 *
 * @see https://www.postmanlabs.com/postman-collection/PropertyList.html
 * @template {{ value?: unknown }} T
 */
class PropertyList {
  /**
   * @param {T[]} items
   * @param {boolean} [mutable] whether methods may replace the item array (remove, clear)
   */
  constructor(items, mutable) {
    /** @type {T[]} */
    this._items;
    Object.defineProperty(this, '_items', { value: items, writable: mutable === true });
  }
  /**
   * @param {unknown} _key
   * @returns {T | undefined}
   */
  _find(_key) {
    throw new TypeError('PropertyList._find is not implemented');
  }
  /** @param {unknown} key */
  get(key) {
    const item = this._find(key);
    return item === undefined ? undefined : item.value;
  }
  /** @param {unknown} key */
  one(key) {
    const item = this._find(key);
    return item === undefined ? undefined : Object.assign({}, item);
  }
  /**
   * @param {unknown} key
   * @param {unknown} [value]
   */
  has(key, value) {
    const item = this._find(key);
    return item !== undefined && (value === undefined || item.value === value);
  }
  /** @returns {T[]} copies of the items */
  all() {
    return this._items.map((item) => Object.assign({}, item));
  }
  count() {
    return this._items.length;
  }
  /** @param {number} index */
  idx(index) {
    const item = this._items[index];
    return item === undefined ? undefined : Object.assign({}, item);
  }
  /** @param {(item: T, index: number, items: T[]) => void} fn */
  each(fn) {
    this.all().forEach(fn);
  }
  /** @param {(item: T, index: number, items: T[]) => unknown} fn */
  filter(fn) {
    return this.all().filter(fn);
  }
  /**
   * @template U
   * @param {(item: T, index: number, items: T[]) => U} fn
   */
  map(fn) {
    return this.all().map(fn);
  }
  /** @param {(item: T, index: number, items: T[]) => unknown} fn */
  find(fn) {
    return this.all().find(fn);
  }
  toJSON() {
    return this.all();
  }
}
