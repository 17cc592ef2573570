// Durable state: the groups as one msgpack snapshot, written atomically (temp file, fsync,
// rename, fsync of the directory) on an interval when something changed and on shutdown, and
// restored at start. The file is framed (magic, format version, payload length, SHA-256) so a
// torn or corrupt file is recognised; it is then moved aside with a log line, never loaded
// half-way and never written over the last good snapshot.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MetricType, Sample } from '@promethium/exposition';
import { Packr } from 'msgpackr';
import { StoredFamily, type Group } from './group.js';
import { groupId } from './grouping-key.js';
import type { Logger } from './logger.js';
import type { MetricStore } from './store.js';

const MAGIC = Buffer.from('PMPG');
const FORMAT_VERSION = 1;
const HEADER = 4 + 4 + 4 + 32;
const packr = new Packr({ useRecords: true, mapsAsObjects: true });

const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown']);

export class PersistenceError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'PersistenceError';
  }
}

interface FileGroup {
  labels: Record<string, string>;
  pushTime: number;
  failTime: number;
  lastChangeMs: number;
  families: { name: string; type: MetricType; help?: string; unit?: string; pushedAtMs: number; text: Uint8Array; samples?: Sample[] }[];
}

export function encodeSnapshot(groups: readonly Group[]): Buffer {
  const data: FileGroup[] = groups.map((g) => ({
    labels: g.labels,
    pushTime: g.pushTimeSeconds,
    failTime: g.pushFailureTimeSeconds,
    lastChangeMs: g.lastChangeMs,
    families: [...g.families.values()].map((f) => {
      const out: FileGroup['families'][number] = { name: f.name, type: f.type, pushedAtMs: f.pushedAtMs, text: f.text };
      if (f.keptSamples) out.samples = f.keptSamples;
      if (f.help !== undefined) out.help = f.help;
      if (f.unit !== undefined) out.unit = f.unit;
      return out;
    }),
  }));
  const payload = packr.pack(data);
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header, 0);
  header.writeUInt32BE(FORMAT_VERSION, 4);
  header.writeUInt32BE(payload.length, 8);
  createHash('sha256').update(payload).digest().copy(header, 12);
  return Buffer.concat([header, payload]);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringRecord(v: unknown, where: string): Record<string, string> {
  if (!isRecord(v)) throw new PersistenceError(`${where}: expected a label map`, 0);
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') throw new PersistenceError(`${where}: label ${k} is not a string`, 0);
  return v as Record<string, string>;
}

export function decodeSnapshot(buf: Buffer): Group[] {
  if (buf.length < HEADER) throw new PersistenceError(`file is ${buf.length} bytes, shorter than the ${HEADER}-byte header`, buf.length);
  if (!buf.subarray(0, 4).equals(MAGIC)) throw new PersistenceError('not a Promethium pushgateway snapshot (bad magic)', 0);
  const version = buf.readUInt32BE(4);
  if (version !== FORMAT_VERSION) throw new PersistenceError(`unsupported snapshot format version ${version}`, 4);
  const length = buf.readUInt32BE(8);
  if (buf.length !== HEADER + length) {
    throw new PersistenceError(`truncated or extended: header says ${length} payload bytes, file has ${buf.length - HEADER}`, buf.length);
  }
  const payload = buf.subarray(HEADER);
  if (!createHash('sha256').update(payload).digest().equals(buf.subarray(12, HEADER))) {
    throw new PersistenceError('checksum mismatch: the payload is corrupt', HEADER);
  }
  const data: unknown = packr.unpack(payload);
  if (!Array.isArray(data)) throw new PersistenceError('payload is not a list of groups', HEADER);
  return data.map((raw: unknown, i): Group => {
    const where = `group ${i}`;
    if (!isRecord(raw) || !Array.isArray(raw.families)) throw new PersistenceError(`${where}: malformed`, HEADER);
    const labels = stringRecord(raw.labels, where);
    if (!labels.job) throw new PersistenceError(`${where}: no job label`, HEADER);
    const families = new Map<string, StoredFamily>();
    for (const f of raw.families as unknown[]) {
      if (!isRecord(f) || typeof f.name !== 'string' || !TYPES.has(f.type as MetricType) || !(f.text instanceof Uint8Array)) {
        throw new PersistenceError(`${where}: malformed family`, HEADER);
      }
      let kept: Sample[] | undefined;
      if (f.samples !== undefined) {
        if (!Array.isArray(f.samples)) throw new PersistenceError(`${where}, family ${f.name}: malformed samples`, HEADER);
        for (const s of f.samples as unknown[]) {
          if (!isRecord(s) || typeof s.name !== 'string' || typeof s.value !== 'number') throw new PersistenceError(`${where}, family ${f.name}: malformed sample`, HEADER);
          stringRecord(s.labels, `${where}, family ${f.name}`);
        }
        kept = f.samples as Sample[];
      }
      const meta = {
        name: f.name,
        type: f.type as MetricType,
        help: typeof f.help === 'string' ? f.help : undefined,
        unit: typeof f.unit === 'string' ? f.unit : undefined,
        pushedAtMs: Number(f.pushedAtMs) || 0,
      };
      families.set(meta.name, new StoredFamily(meta, Buffer.from(f.text), kept));
    }
    return {
      id: groupId(labels),
      labels,
      families,
      pushTimeSeconds: Number(raw.pushTime) || 0,
      pushFailureTimeSeconds: Number(raw.failTime) || 0,
      lastChangeMs: Number(raw.lastChangeMs) || 0,
    };
  });
}

/** Writes `data` to `file` so that a crash at any point leaves either the old or the new file. */
export function writeFileAtomic(file: string, data: Buffer): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  // The rename itself must reach the disk too.
  const dfd = openSync(dirname(file), 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}

export interface PersistenceOptions {
  file: string;
  /** Minimum time between writes (--persistence.interval). */
  intervalMs: number;
  store: MetricStore;
  logger: Logger;
}

export class Persistence {
  private timer: NodeJS.Timeout | undefined;
  private savedVersion = -1;

  constructor(private readonly options: PersistenceOptions) {}

  /** Restores the snapshot, if any. A bad file is moved aside; returns the groups restored. */
  load(): number {
    const { file, logger, store } = this.options;
    rmSync(`${file}.tmp`, { force: true });
    if (!existsSync(file)) {
      logger.info('no persistence file yet, starting empty', { component: 'persistence', file });
      this.savedVersion = store.version;
      return 0;
    }
    // An unreadable file (permissions, I/O) is an error to fix, not a corrupt snapshot: it throws.
    const bytes = readFileSync(file);
    let groups: Group[];
    try {
      groups = decodeSnapshot(bytes);
    } catch (e) {
      const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '')}`;
      renameSync(file, aside);
      logger.error('persistence file is unreadable; moved it aside and starting empty', {
        component: 'persistence',
        file,
        moved_to: aside,
        offset: e instanceof PersistenceError ? e.offset : undefined,
        err: (e as Error).message,
      });
      this.savedVersion = store.version;
      return 0;
    }
    store.restore(groups);
    this.savedVersion = store.version;
    logger.info('restored groups from persistence file', { component: 'persistence', file, groups: groups.length });
    return groups.length;
  }

  /** Writes a snapshot now if the store changed since the last one. */
  save(force = false): boolean {
    const { file, store, logger } = this.options;
    if (!force && store.version === this.savedVersion) return false;
    const version = store.version;
    const started = performance.now();
    writeFileAtomic(file, encodeSnapshot(store.groups()));
    this.savedVersion = version;
    logger.debug('persistence file written', { component: 'persistence', file, groups: store.size, ms: Math.round(performance.now() - started) });
    return true;
  }

  start(): void {
    this.timer = setInterval(() => {
      try {
        this.save();
      } catch (e) {
        this.options.logger.error('writing the persistence file failed; will retry', {
          component: 'persistence',
          file: this.options.file,
          err: (e as Error).message,
        });
      }
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the interval and writes a final snapshot. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.save();
  }
}
