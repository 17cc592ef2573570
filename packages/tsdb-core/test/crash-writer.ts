// Child process of crash.test.ts: appends batches forever, printing "ack <batch>" after each
// commit resolves. Batch i holds t = i*1000 for 50 fixed series plus one new series.
import { Labels, nopLogger, openDB } from '@promethium/tsdb-core';

const dir = process.argv[2];
if (!dir) throw new Error('usage: crash-writer <dir>');
const db = await openDB(dir, { logger: nopLogger, walSegmentSize: 64 * 1024 });
const start = db.head.maxTime === -Infinity ? 0 : db.head.maxTime / 1000 + 1;
process.stdout.write(`start ${start}\n`);
const fixed = Array.from({ length: 50 }, (_, k) => Labels.from({ __name__: 'crash', k: String(k) }));
const refs = new Array<number>(50).fill(0);
for (let i = start; ; i++) {
  const app = db.appender();
  for (let k = 0; k < 50; k++) refs[k] = app.append(refs[k]!, fixed[k]!, i * 1000, i * 1000 + k);
  app.append(0, Labels.from({ __name__: 'crash_new', b: String(i) }), i * 1000, i);
  await app.commit();
  process.stdout.write(`ack ${i}\n`);
  // Now and then a checkpoint, so kills also land while one is written.
  if (i % 40 === 39) db.wal.checkpoint(db.head);
}
