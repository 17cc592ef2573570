// Runs the example job against PUSHGATEWAY (default localhost:9091) until stopped.
import { startBatchJob } from './batch-job.js';

const gateway = process.env.PUSHGATEWAY ?? 'localhost:9091';
const intervalMs = Number(process.env.PUSH_INTERVAL_MS ?? 5000);
const job = startBatchJob({ gateway, intervalMs });
console.log(`example-app: pushing job "my_job" to ${gateway} every ${intervalMs} ms`);
const stop = (): void => {
  job.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
