// Public API: the example job, runnable in-process (used by its test).
export { startBatchJob } from './batch-job.js';
export type { BatchJob, BatchJobOptions } from './batch-job.js';
