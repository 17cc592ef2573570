// Reads the records of a Prometheus WAL segment for pmtool, read-only: 32 KiB pages of
// fragments (7-byte header: type, big-endian length, CRC32C of the data), records split into
// first/middle/last fragments, and snappy-compressed records (Prometheus' default), which the
// server's reader does not take. Stops at the first damage and reports where.
import { crc32c } from '@promethium/tsdb-core';
import { snappyDecode } from './snappy.js';

const PAGE = 32 * 1024;
const HEADER = 7;
const FULL = 1;
const FIRST = 2;
const LAST = 4; // 3 is a middle fragment
const SNAPPY = 0x08;

export interface WalDamage {
  offset: number;
  reason: string;
}

export function readWalSegment(buf: Uint8Array, onRecord: (rec: Uint8Array) => void): WalDamage | undefined {
  let pos = 0;
  let parts: Uint8Array[] | undefined;
  let recStart = 0;
  let compressed = false;
  const damage = (reason: string): WalDamage => ({ offset: parts ? recStart : pos, reason });
  const emit = (rec: Uint8Array, at: number): WalDamage | undefined => {
    try {
      onRecord(compressed ? snappyDecode(rec) : rec);
      return undefined;
    } catch (e) {
      return { offset: at, reason: `record does not decode: ${(e as Error).message}` };
    }
  };
  while (pos < buf.length) {
    const pageEnd = (Math.floor(pos / PAGE) + 1) * PAGE;
    // A zero type byte (or too little room for a header) pads the rest of the page.
    if (pageEnd - pos < HEADER || buf[pos] === 0) {
      for (let i = pos; i < Math.min(pageEnd, buf.length); i++) if (buf[i] !== 0) return damage('non-zero byte in page padding');
      pos = pageEnd;
      continue;
    }
    const type = buf[pos]!;
    const kind = type & 0x07;
    if (kind < FULL || kind > LAST || (type & ~(0x07 | SNAPPY)) !== 0) return damage(`unsupported fragment type 0x${type.toString(16)}`);
    if (pos + HEADER > buf.length) return damage('torn fragment header');
    const len = (buf[pos + 1]! << 8) | buf[pos + 2]!;
    const crc = ((buf[pos + 3]! << 24) | (buf[pos + 4]! << 16) | (buf[pos + 5]! << 8) | buf[pos + 6]!) >>> 0;
    const start = pos + HEADER;
    if (start + len > pageEnd) return damage(`fragment of ${len} bytes crosses a page boundary`);
    if (start + len > buf.length) return damage('torn fragment');
    if (crc32c(buf, start, start + len) !== crc) return damage('checksum mismatch');
    const data = buf.subarray(start, start + len);
    if (kind === FULL || kind === FIRST) {
      if (parts) return damage('a record starts inside another');
      compressed = (type & SNAPPY) !== 0;
    } else if (!parts) {
      return damage('continuation fragment without a first one');
    }
    if (kind === FULL) {
      const d = emit(data, pos);
      if (d) return d;
    } else if (kind === FIRST) {
      parts = [data];
      recStart = pos;
    } else {
      parts!.push(data);
      if (kind === LAST) {
        const rec = Buffer.concat(parts!);
        parts = undefined;
        const d = emit(rec, recStart);
        if (d) return d;
      }
    }
    pos = start + len;
  }
  return parts ? damage('torn record: last fragment missing') : undefined;
}
