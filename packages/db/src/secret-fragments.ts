/**
 * A database's error message may quote a value the operation sent: MySQL `Duplicate entry 'tok_live_9f…'`
 * and `Incorrect integer value: '…'` cut it at 64 or 128 characters and add `...`; PostgreSQL
 * `invalid value "tok_" for "YYYY"` quotes the part of it a format read. The run's redactor finds a
 * secret only whole (or cut at the end of a text), so the part of one such a message quotes went out.
 * Here the values of the operation that hold a secret are found, and every part of them the message
 * quotes (or writes, 8 characters or more) is replaced; values without a secret stay, they help.
 */
import { REDACTED, type Redactor } from '@sortie/core';
import type { DbOperation } from './types.js';

/** Unquoted parts shorter than this are not looked for: they could be words of the message. */
const MIN_UNQUOTED = 8;
/** Quoted parts shorter than this stay: a column (`n`) or a table name a secret happens to contain. */
const MIN_QUOTED = 4;
/** A message longer than this is not searched part by part (its secrets whole are still redacted). */
const MAX_SEARCHED = 8192;

/** The text of every value of `op` (SQL params, MongoDB and Redis values) that holds a secret `redactor` knows. */
export function findSecretValues(op: DbOperation, redactor: Redactor): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 32) return;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
      const text = String(value);
      if (text.length > 0 && redactor.redact(text) !== text) found.add(text);
    } else if (Array.isArray(value)) {
      const json = safeJson(value);
      if (json !== undefined && redactor.redact(json) !== json) found.add(json);
      for (const item of value) visit(item, depth + 1);
    } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
      // A param that is an object is bound as its JSON text: the message may quote that.
      const json = safeJson(value);
      if (json !== undefined && redactor.redact(json) !== json) found.add(json);
      for (const [key, item] of Object.entries(value)) {
        visit(key, depth + 1);
        visit(item, depth + 1);
      }
    }
  };
  visit(op.params, 0);
  visit(op.mongo, 0);
  visit(op.redis, 0);
  return [...found];
}

/**
 * Replaces in `message` every quoted text (`'…'`, `"…"`, `` `…` ``, with or without a trailing `...`)
 * of at least 4 characters that is a part of one of `values`, and every other run of at least 8 characters that is.
 */
export function redactSecretFragments(message: string, values: readonly string[]): string {
  if (values.length === 0 || message.length === 0) return message;
  if (message.length > MAX_SEARCHED) return message;
  const isPart = (text: string) => text.length > 0 && values.some((value) => value.includes(text));
  const quoted = message.replace(/(['"`])([^'"`]*?)(\.\.\.|…)?\1/g, (whole, quote: string, inside: string, ellipsis = '') =>
    inside.length >= MIN_QUOTED && isPart(inside) ? `${quote}${REDACTED}${ellipsis}${quote}` : whole,
  );
  let out = '';
  let i = 0;
  while (i < quoted.length) {
    let length = 0;
    if (isPart(quoted.slice(i, i + MIN_UNQUOTED)) && quoted.slice(i, i + MIN_UNQUOTED).length === MIN_UNQUOTED) {
      length = MIN_UNQUOTED;
      while (i + length < quoted.length && isPart(quoted.slice(i, i + length + 1))) length++;
    }
    if (length > 0) {
      out += REDACTED;
      i += length;
    } else {
      out += quoted[i];
      i++;
    }
  }
  return out;
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
