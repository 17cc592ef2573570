// process_resident_memory_bytes; on Linux also process_virtual_memory_bytes and process_heap_bytes
// from /proc/self/status (a kernel view, so reading it synchronously never blocks on disk).
import { readFileSync } from 'node:fs';
import { Gauge } from '../gauge.js';
import { resolve, type DefaultMetricsCollectorConfiguration } from './config.js';

/** VmRSS/VmSize/VmData of a /proc/<pid>/status text, in bytes. */
export function parseProcStatus(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(VmSize|VmRSS|VmData):\s+(\d+)\s+kB/.exec(line);
    if (m) out[m[1]!] = Number(m[2]) * 1024;
  }
  return out;
}

export function osMemoryHeap(config: DefaultMetricsCollectorConfiguration): void {
  const { registers, prefix, labels, labelNames } = resolve(config);
  if (process.platform !== 'linux') {
    new Gauge({
      name: prefix + 'process_resident_memory_bytes',
      help: 'Resident memory size in bytes.',
      registers,
      labelNames,
      collect() {
        this.set(labels, process.memoryUsage.rss());
      },
    });
    return;
  }
  const rss = new Gauge({
    name: prefix + 'process_resident_memory_bytes',
    help: 'Resident memory size in bytes.',
    registers,
    labelNames,
    collect() {
      let st: Record<string, number>;
      try {
        st = parseProcStatus(readFileSync('/proc/self/status', 'utf8'));
      } catch {
        return;
      }
      if (st.VmRSS !== undefined) rss.set(labels, st.VmRSS);
      if (st.VmSize !== undefined) vsize.set(labels, st.VmSize);
      if (st.VmData !== undefined) heap.set(labels, st.VmData);
    },
  });
  const vsize = new Gauge({ name: prefix + 'process_virtual_memory_bytes', help: 'Virtual memory size in bytes.', registers, labelNames });
  const heap = new Gauge({ name: prefix + 'process_heap_bytes', help: 'Process heap size in bytes.', registers, labelNames });
}
