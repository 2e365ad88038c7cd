export { decodeChunk, type EncodedChunk, encodeChunk } from "./chunk-codec.js";
export { CONNECT_TIMEOUT_MS, connectQueueRedis } from "./connect.js";
export { INLINE_LIMIT_BYTES, type JobKind, prepareJob, type QueueJobData } from "./job-data.js";
export { QUEUE_NAME, type QueueKeys, queueKeys } from "./keys.js";
export { openQueue, openSubmitQueue, type QueueConnection } from "./open-queue.js";
export {
  type QueueExecutorOptions,
  type QueueRunStats,
  queueExecutor,
} from "./queue-executor.js";
export { parseQueueUrl, type QueueAddress } from "./redis-url.js";
export { checkVersions, listWorkers, type WorkerInfo } from "./registry.js";
export { cleanQueue, type QueueStatus, queueStatus } from "./status.js";
export {
  type QueueWorkerOptions,
  type RunningWorker,
  startQueueWorker,
  type WorkerEvent,
} from "./worker.js";
