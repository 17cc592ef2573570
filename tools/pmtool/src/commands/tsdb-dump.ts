// `pmtool tsdb dump [--min-time] [--max-time] [--match] [<db path>]`: every sample of the
// blocks and of the head (read from the WAL, read-only) in promtool's line format,
// `{labels} value timestamp`, series in label order.
import { flag } from '../args.js';
import type { CliIo } from '../cli.js';
import { runCommand, type CommandSpec } from '../command-spec.js';
import { MergeQuerier, Matcher } from '@promethium/tsdb-core';
import type { Querier } from '@promethium/tsdb-core';
import { goG } from '../tsdb/go-format.js';
import { goLabels } from '../tsdb/label-string.js';
import { openBlocks } from '../tsdb/open-blocks.js';
import { readHead } from '../tsdb/read-head.js';
import { parseSelector } from '../tsdb/selector.js';

const MIN_INT64 = '-9223372036854775808';
const MAX_INT64 = '9223372036854775807';

export const DUMP_SPEC: CommandSpec = {
  name: 'tsdb dump',
  help: 'Dump samples from a TSDB: its blocks and the head in wal/ (read-only).',
  flags: [
    { name: 'min-time', help: 'Minimum timestamp to dump (ms).', value: 'MIN-TIME', default: MIN_INT64 },
    { name: 'max-time', help: 'Maximum timestamp to dump (ms).', value: 'MAX-TIME', default: MAX_INT64 },
    { name: 'match', help: 'Series selector.', value: 'MATCH', default: "{__name__=~'(?s:.*)'}" },
  ],
  args: [{ name: 'db path', help: 'Database path.', default: 'data/' }],
  epilog: `example:

$ pmtool tsdb dump --match='up{job="node"}' --min-time=1565133700000 data/
`,
};

function int64Flag(name: string, text: string): number {
  if (!/^-?\d+$/.test(text)) throw new Error(`strconv.ParseInt: parsing "${text}": invalid syntax for --${name}`);
  const n = BigInt(text);
  if (n > BigInt(MAX_INT64) || n < BigInt(MIN_INT64)) throw new Error(`strconv.ParseInt: parsing "${text}": value out of range for --${name}`);
  return Number(n);
}

export function runTsdbDump(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(DUMP_SPEC, argv, io, async ({ parsed, args }) => {
    let mint: number;
    let maxt: number;
    let matchers: Matcher[];
    try {
      mint = int64Flag('min-time', flag(parsed, 'min-time')!);
      maxt = int64Flag('max-time', flag(parsed, 'max-time')!);
    } catch (e) {
      io.stderr(`pmtool: error: ${(e as Error).message}, try --help\n`);
      return 1;
    }
    const match = flag(parsed, 'match')!;
    try {
      // The default selects everything; JavaScript regexps lack Go's (?s:) group, so say it directly.
      matchers = match === DUMP_SPEC.flags[2]!.default ? [new Matcher('=~', '__name__', '.*')] : parseSelector(match);
    } catch (e) {
      io.stderr(`${(e as Error).message}\n`);
      return 1;
    }
    try {
      const path = args.get('db path')!;
      const blocks = await openBlocks(path);
      try {
        const qs: Querier[] = blocks.filter((b) => b.minTime <= maxt && b.maxTime > mint).map((b) => b.querier(mint, maxt));
        const h = readHead(path, blocks.reduce((a, b) => Math.max(a, b.maxTime), -Infinity));
        if (h?.damage) io.stderr(`warning: WAL read stopped early: ${h.damage}\n`);
        if (h && h.head.numSeries > 0) qs.push(h.head.querier(mint, maxt));
        let buf = '';
        // No matchers select no series, as in Prometheus.
        for (const s of matchers.length > 0 ? new MergeQuerier(qs).select(matchers) : []) {
          const ls = goLabels(s.labels);
          const it = s.iterator();
          while (it.next()) {
            buf += `${ls} ${goG(it.value())} ${it.at()}\n`;
            if (buf.length >= 65536) {
              io.stdout(buf);
              buf = '';
            }
          }
        }
        if (buf) io.stdout(buf);
        for (const q of qs) q.close();
      } finally {
        for (const b of blocks) b.close();
      }
      return 0;
    } catch (e) {
      io.stderr(`${(e as Error).message}\n`);
      return 1;
    }
  });
}
