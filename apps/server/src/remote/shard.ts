// One shard of a remote-write queue: a bounded buffer of samples and one request in flight at
// a time, so the samples of a series (always hashed to the same shard) arrive in order.
// A batch goes out when it holds max_samples_per_send samples or batch_send_deadline passed.
import type { SeriesEntry } from './series-cache.js';

export interface ShardBatch {
  series: SeriesEntry[];
  ts: number[];
  vs: number[];
  /** The WAL record (queue sequence number) each sample came from. */
  seqs: number[];
}

export type SendBatch = (batch: ShardBatch) => Promise<void>;

export class Shard {
  private series: SeriesEntry[] = [];
  private ts: number[] = [];
  private vs: number[] = [];
  private seqs: number[] = [];
  private readonly capacity: number;
  private readonly maxPerSend: number;
  private readonly deadlineMs: number;
  private readonly send: SendBatch;
  private wakeLoop: (() => void) | undefined;
  private spaceWaiters: (() => void)[] = [];
  private draining = false;
  private done: Promise<void> | undefined;
  /** Samples in the batch being sent. */
  inFlight = 0;

  constructor(capacity: number, maxPerSend: number, deadlineMs: number, send: SendBatch) {
    this.capacity = Math.max(capacity, maxPerSend);
    this.maxPerSend = maxPerSend;
    this.deadlineMs = deadlineMs;
    this.send = send;
  }

  get length(): number {
    return this.ts.length;
  }

  /** False when full; then wait for space(). */
  push(s: SeriesEntry, t: number, v: number, seq: number): boolean {
    if (this.ts.length >= this.capacity) return false;
    this.series.push(s);
    this.ts.push(t);
    this.vs.push(v);
    this.seqs.push(seq);
    if (this.ts.length >= this.maxPerSend) this.wakeLoop?.();
    return true;
  }

  space(): Promise<void> {
    if (this.ts.length < this.capacity) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  start(): void {
    this.done ??= this.loop();
  }

  /** Sends what is buffered, then ends. */
  drain(): Promise<void> {
    this.draining = true;
    this.wakeLoop?.();
    return this.done ?? Promise.resolve();
  }

  private async loop(): Promise<void> {
    let deadline = performance.now() + this.deadlineMs;
    for (;;) {
      const n = this.ts.length;
      const now = performance.now();
      if (n >= this.maxPerSend || (n > 0 && (now >= deadline || this.draining))) {
        const k = Math.min(n, this.maxPerSend);
        const batch: ShardBatch = {
          series: this.series.splice(0, k),
          ts: this.ts.splice(0, k),
          vs: this.vs.splice(0, k),
          seqs: this.seqs.splice(0, k),
        };
        this.inFlight = k;
        const waiters = this.spaceWaiters;
        this.spaceWaiters = [];
        for (const w of waiters) w();
        await this.send(batch);
        this.inFlight = 0;
        deadline = performance.now() + this.deadlineMs;
        continue;
      }
      if (this.draining && n === 0) return;
      if (n === 0) deadline = now + this.deadlineMs;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.wakeLoop = undefined;
          resolve();
        }, Math.max(1, deadline - now));
        this.wakeLoop = () => {
          clearTimeout(t);
          this.wakeLoop = undefined;
          resolve();
        };
      });
    }
  }
}
