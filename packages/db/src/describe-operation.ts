/**
 * The text of an operation for reports and error messages. Parameter values never appear: SQL keeps
 * its placeholders, MongoDB documents keep their keys with `?` for every value, Redis keeps the
 * command name with `?` for every argument.
 */
import { EXTENDED_JSON_VALUE_KEYS } from '@sortie/core';
import type { DbOperation, MongoOperation, RedisOperation } from './types.js';

/** Returns the statement with placeholders (SQL), or the shape of a MongoDB/Redis operation without its values. */
export function describeOperation(op: DbOperation): string {
  if (op.sql !== undefined) return op.sql.trim().replace(/\s+/g, ' ');
  if (op.mongo !== undefined) return describeMongo(op.mongo);
  if (op.redis !== undefined) return describeRedis(op.redis);
  if (op.transaction !== undefined) return op.transaction.toUpperCase();
  return '(empty operation)';
}

function describeMongo(mongo: MongoOperation): string {
  const argument = mongo.document ?? mongo.documents ?? mongo.pipeline ?? mongo.filter ?? {};
  const parts = [maskShape(argument)];
  if (mongo.update !== undefined) parts.push(maskShape(mongo.update));
  return `${mongo.collection}.${mongo.op}(${parts.join(', ')})`;
}

function describeRedis(redis: RedisOperation): string {
  const commands = Array.isArray(redis) ? [redis] : redis.pipeline;
  return commands.map((command) => [String(command[0]).toUpperCase(), ...command.slice(1).map(() => '?')].join(' ')).join('; ');
}

/** Writes keys and structure as JSON-like text, every leaf value as `?`. Operator keys stay readable. */
function maskShape(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => maskShape(item)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    // Extended JSON wrappers such as {"$oid": …} are one value.
    if (entries.length === 1 && isExtendedJsonWrapper(entries[0]![0])) return '?';
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}: ${maskShape(item)}`).join(', ')}}`;
  }
  return '?';
}

/** A one-key object of Extended JSON is one value in the description; so is a `$regularExpression` (a pattern is still a value to hide). */
function isExtendedJsonWrapper(key: string): boolean {
  return EXTENDED_JSON_VALUE_KEYS.has(key) || key === '$regularExpression';
}
