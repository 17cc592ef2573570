// The per-queue progress marker: the WAL position up to which every sample was sent (or
// deliberately dropped), so a restart resumes there instead of losing or resending the WAL.
// Written to a temp file and renamed, so a crash leaves the old marker or the new one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WalPosition } from './wal-watcher.js';

export interface ProgressMarker extends WalPosition {
  url: string;
}

export function readProgress(file: string): ProgressMarker | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const v = JSON.parse(text) as Partial<ProgressMarker>;
    if (Number.isSafeInteger(v.segment) && Number.isSafeInteger(v.offset) && v.segment! >= 0 && v.offset! >= 0) {
      return { segment: v.segment!, offset: v.offset!, url: typeof v.url === 'string' ? v.url : '' };
    }
  } catch {
    // Handled below: an unreadable marker is treated as absent, with the caller logging it.
  }
  throw new Error(`remote write progress marker ${file} is not {"segment": <int>, "offset": <int>}; delete it to start from the end of the WAL`);
}

export function writeProgress(file: string, m: ProgressMarker): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(m)}\n`);
  fs.renameSync(tmp, file);
}
