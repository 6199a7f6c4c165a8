export { type AgentOptions, type ExecuteContext, type ExecuteResult, type ExecuteRun, type RunningAgent, startAgent } from './agent.js';
export { createPlanExecutor, jobStatusOf, type PlanExecutorOptions, reportersFor, reportFileOf } from './execute-plan.js';
export { type AgentStatus, Heartbeat, type HeartbeatOptions, listAgents } from './heartbeat.js';
export {
  type AgentInfo,
  blockingConnectionReady,
  bullmqConnection,
  CANCEL_FLAG,
  closeWhenReady,
  DEFAULT_POOL,
  EVENT_ENTRY_START,
  emptyCounts,
  POOL_NAME,
  packReport,
  queueName,
  REDIS_KEYS,
  RESULT_FIELD,
  type RunJobData,
  type RunJobResult,
  SHARD_LOG,
  SHARED_PLAN_BYTES,
  type StreamEntry,
  shardJobId,
  unpackReport,
  VIEW_REPORT,
} from './protocol.js';
export { RedisTokenStore, type RedisTokenStoreOptions, type ReleaseLock, type SharedTokens } from './redis-token-store.js';
export { checkRunOptions, RUN_OPTION_NAMES, runOptionsOf } from './run-options.js';
export { isEnd, RunStreamWriter, type RunStreamWriterOptions, readRunStream, writeEndEntry } from './run-stream.js';
