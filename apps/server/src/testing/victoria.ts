// Debian's real VictoriaMetrics as a child process for interop tests: bound to 127.0.0.1 on a
// free port, its data in a directory the test owns, fresh data visible at once
// (-search.latencyOffset=0s) and no response cache to hide newly arrived samples.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from './http-target.js';

export const VICTORIA_BIN = '/usr/bin/victoria-metrics';
export const hasVictoria = existsSync(VICTORIA_BIN);

export interface ExportedSeries {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

export class Victoria {
  readonly url: string;
  private proc: ChildProcess | undefined;
  private log = '';

  private constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  static async start(dataDir: string, port?: number): Promise<Victoria> {
    const v = new Victoria(dataDir, port ?? (await freePort()));
    await v.run();
    return v;
  }

  /** (Re)starts the process on the same port and data directory and waits for /health. */
  async run(): Promise<void> {
    this.proc = spawn(
      VICTORIA_BIN,
      [
        `-storageDataPath=${this.dataDir}`,
        `-httpListenAddr=127.0.0.1:${this.port}`,
        '-retentionPeriod=100y',
        '-search.latencyOffset=0s',
        '-search.disableCache',
        '-loggerLevel=ERROR',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.proc.stderr!.on('data', (b: Buffer) => (this.log = (this.log + b.toString()).slice(-4000)));
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const r = await fetch(`${this.url}/health`);
        if (r.ok) return;
      } catch {
        // Not listening yet.
      }
      if (this.proc.exitCode !== null || Date.now() > deadline) throw new Error(`VictoriaMetrics did not start: ${this.log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Graceful stop (SIGTERM), waiting for the exit so the data directory is released. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill(signal);
    await exited;
  }

  pause(): void {
    this.proc?.kill('SIGSTOP');
  }

  resume(): void {
    this.proc?.kill('SIGCONT');
  }

  /** Makes buffered rows searchable now instead of within a second or two. */
  async flush(): Promise<void> {
    await fetch(`${this.url}/internal/force_flush`).catch(() => undefined);
  }

  /** Raw samples via /api/v1/export (JSON lines). */
  async export(match: string, startMs: number, endMs: number): Promise<ExportedSeries[]> {
    await this.flush();
    const q = new URLSearchParams({ 'match[]': match, start: String(startMs / 1000), end: String(endMs / 1000) });
    const r = await fetch(`${this.url}/api/v1/export?${q.toString()}`);
    if (!r.ok) throw new Error(`export: HTTP ${r.status}: ${await r.text()}`);
    const text = await r.text();
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as ExportedSeries);
  }
}
