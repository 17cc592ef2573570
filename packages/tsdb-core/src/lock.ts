// The directory lock: `<dir>/lock` holds the owner's PID. Node has no flock(2), so liveness
// is checked with kill(pid, 0): a lock left by a killed process is taken over (with a log
// line), a live owner -- another process or this one -- is refused with a clear error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from './logger.js';

export class DBLockedError extends Error {
  readonly pid: number;
  constructor(dir: string, pid: number) {
    super(
      `lock DB directory: ${dir} is in use by process ${pid}${pid === process.pid ? ' (this process)' : ''}; ` +
        'stop it first, or point --storage.tsdb.path at another directory',
    );
    this.name = 'DBLockedError';
    this.pid = pid;
  }
}

const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DirLock {
  readonly file: string;
  private released = false;

  private constructor(file: string) {
    this.file = file;
  }

  static acquire(dir: string, logger: Logger): DirLock {
    const abs = path.resolve(dir);
    const file = path.join(abs, 'lock');
    if (heldHere.has(abs)) throw new DBLockedError(abs, process.pid);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = fs.openSync(file, 'wx');
        fs.writeSync(fd, `${process.pid}\n`);
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        heldHere.add(abs);
        return new DirLock(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const text = fs.readFileSync(file, 'utf8').trim();
      const pid = /^\d+$/.test(text) ? Number(text) : 0;
      if (pid > 0 && pid !== process.pid && alive(pid)) throw new DBLockedError(abs, pid);
      logger.warn('taking over a stale lock file', { file, previous_pid: text || 'none' });
      fs.rmSync(file, { force: true });
    }
    throw new Error(`lock DB directory: could not create ${file}`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    heldHere.delete(path.dirname(this.file));
    fs.rmSync(this.file, { force: true });
  }
}
