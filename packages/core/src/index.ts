export * from './auth-schemes-schema.js';
export * from './db-schema.js';
export * from './errors.js';
export * from './events.js';
export * from './http-types.js';
export * from './redactor.js';
export * from './results.js';
export * from './scenario-schema.js';
