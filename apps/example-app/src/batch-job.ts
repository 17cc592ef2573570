// The classic example, in TypeScript: a job that counts errors and pushes its registry to the
// pushgateway every few seconds (Python: push_to_gateway('localhost:9091', job='my_job', ...)).
import { Counter, Gauge, Registry, pushToGateway } from '@promethium/client';

export interface BatchJobOptions {
  /** host:port or URL of the pushgateway */
  gateway: string;
  job?: string;
  intervalMs?: number;
  log?: (msg: string) => void;
}

export interface BatchJob {
  registry: Registry;
  /** Runs one iteration: does "work", records the outcome and pushes. */
  runOnce(): Promise<void>;
  stop(): void;
}

export function startBatchJob(opts: BatchJobOptions): BatchJob {
  const registry = new Registry();
  const errors = new Counter({ name: 'errors_total', help: 'Errors in my app', registers: [registry] });
  const processed = new Counter({ name: 'items_processed_total', help: 'Items the job processed', registers: [registry] });
  const lastSuccess = new Gauge({ name: 'job_last_success_unixtime', help: 'Last time the job pushed successfully', registers: [registry] });
  const job = opts.job ?? 'my_job';
  const log = opts.log ?? ((m: string) => console.log(m));
  let runs = 0;

  const runOnce = async (): Promise<void> => {
    runs++;
    processed.inc(10);
    // One run in three "fails", so the errors counter moves.
    if (runs % 3 === 1) errors.inc();
    try {
      await pushToGateway(opts.gateway, job, registry, { timeout: 5000 });
      lastSuccess.setToCurrentTime();
    } catch (e) {
      log(`push to ${opts.gateway} failed: ${(e as Error).message}`);
    }
  };
  void runOnce();
  const timer = setInterval(() => void runOnce(), opts.intervalMs ?? 5000);
  return {
    registry,
    runOnce,
    stop: () => clearInterval(timer),
  };
}
