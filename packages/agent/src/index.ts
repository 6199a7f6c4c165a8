export { RedisTokenStore, type RedisTokenStoreOptions, type ReleaseLock, type SharedTokens } from './redis-token-store.js';
