// Crash safety: a real writer process is SIGKILLed at random points; after each kill the
// database must open and hold every batch the writer acknowledged. Some rounds also damage
// the WAL tail (cut, flipped byte, garbage), which must be survived by truncation.
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type DB, DBLockedError, Matcher, listSegments, nopLogger, openDB, segmentName } from '@promethium/tsdb-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promethium-crash-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let seed = Number(process.env['CRASH_SEED'] ?? Date.now() % 100000);
function rnd(n: number): number {
  seed = (seed * 48271) % 2147483647;
  return seed % n;
}

/** Runs the writer until `acks` batches are acknowledged (plus a random delay), then SIGKILLs it. */
function runWriter(acks: number, extraDelayMs: number): Promise<{ start: number; acked: number[] }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@promethium/source', path.join(here, 'crash-writer.ts'), dir],
      { cwd: path.join(here, '..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    let start = -1;
    const acked: number[] = [];
    let killing = false;
    const kill = (): void => {
      if (killing) return;
      killing = true;
      child.kill('SIGKILL');
    };
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        const [word, num] = line.split(' ');
        if (word === 'start') start = Number(num);
        if (word === 'ack') acked.push(Number(num));
        if (acked.length >= acks && !killing) {
          if (extraDelayMs === 0) kill();
          else setTimeout(kill, extraDelayMs);
        }
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const guard = setTimeout(kill, 15_000);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited with ${code ?? signal}: ${err}`));
      else resolve({ start, acked });
    });
  });
}

/** Batches fully present: for each batch index, how many of its 51 samples are stored. */
function presentBatches(db: DB): Map<number, number> {
  const got = new Map<number, number>();
  const q = db.querier(-Infinity, Infinity);
  for (const s of q.select([new Matcher('=~', '__name__', 'crash|crash_new')])) {
    const k = s.labels.get('k');
    const it = s.iterator();
    while (it.next()) {
      const i = it.at() / 1000;
      const want = s.labels.get('__name__') === 'crash' ? i * 1000 + Number(k) : i;
      expect(it.value()).toBe(want);
      got.set(i, (got.get(i) ?? 0) + 1);
    }
  }
  return got;
}

function damageTail(): string {
  const segs = listSegments(path.join(dir, 'wal'));
  const file = segmentName(path.join(dir, 'wal'), segs[segs.length - 1]!);
  const buf = fs.readFileSync(file);
  const kind = rnd(3);
  if (kind === 0 && buf.length > 0) {
    const cut = rnd(Math.min(buf.length, 4096)) + 1;
    fs.truncateSync(file, buf.length - cut);
    return `cut ${cut} bytes`;
  }
  if (kind === 1 && buf.length > 0) {
    const at = buf.length - 1 - rnd(Math.min(buf.length, 4096));
    buf[at] = buf[at]! ^ (1 + rnd(255));
    fs.writeFileSync(file, buf);
    return `flipped byte ${at}`;
  }
  fs.appendFileSync(file, Buffer.from([1, 0, 20, 7, 7, 7, 7, 1, 2, 3]));
  return 'appended garbage';
}

describe('crash safety', () => {
  it('keeps every acknowledged batch across 24 SIGKILLs and survives WAL tail damage', { timeout: 120_000 }, async () => {
    const rounds = 24;
    let confirmedUpTo = -1;
    let damaged = 0;
    let repaired = 0;
    for (let round = 0; round < rounds; round++) {
      const { start, acked } = await runWriter(1 + rnd(25), rnd(3) === 0 ? 0 : rnd(40));
      // The writer resumed right after what the last verification saw.
      expect(start).toBe(confirmedUpTo + 1);
      const damage = round % 4 === 3 ? damageTail() : undefined;
      if (damage) damaged++;
      const db = await openDB(dir, { logger: nopLogger });
      if (db.replayStats.repaired) repaired++;
      const present = presentBatches(db);
      const maxPresent = Math.max(-1, ...present.keys());
      // Batches are whole (a commit is one WAL write) and contiguous from 0.
      for (let i = 0; i <= maxPresent; i++) expect(present.get(i), `batch ${i} (${damage ?? 'no damage'})`).toBe(51);
      if (!damage) {
        for (const i of acked) expect(present.get(i), `acknowledged batch ${i}`).toBe(51);
      } else {
        // Damage only touches the last segment, which only this round's writer wrote.
        expect(maxPresent).toBeGreaterThanOrEqual(start - 1);
      }
      confirmedUpTo = maxPresent;
      await db.close();
    }
    expect(damaged).toBeGreaterThanOrEqual(5);
    expect(repaired).toBeGreaterThanOrEqual(2);
    expect(confirmedUpTo).toBeGreaterThan(20);
  });

  it('refuses a directory another live process holds, and takes it over once that process is killed', { timeout: 60_000 }, async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'promethium-lock-'));
    try {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--conditions=@promethium/source', path.join(here, 'crash-writer.ts'), other],
        { cwd: path.join(here, '..'), stdio: ['ignore', 'pipe', 'pipe'] },
      );
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes('ack')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`writer exited early (${code})`)));
      });
      const err = await openDB(other, { logger: nopLogger }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DBLockedError);
      expect((err as DBLockedError).pid).toBe(child.pid);
      expect((err as Error).message).toMatch(/is in use by process \d+; stop it first/);
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const db = await openDB(other, { logger: nopLogger });
      expect(db.head.numSeries).toBeGreaterThan(0);
      await db.close();
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
