// `pmtool tsdb analyze [--limit] [--match] [--extended] [<db path>] [<block id>]`: promtool's
// churn and cardinality report for one block (the newest by default), with progress on
// stderr for blocks of many series.
import { flag } from '../args.js';
import type { CliIo } from '../cli.js';
import { runCommand, type CommandSpec } from '../command-spec.js';
import { analyzeBlock } from '../tsdb/analyze.js';
import { openBlocks } from '../tsdb/open-blocks.js';
import { parseSelector } from '../tsdb/selector.js';

export const ANALYZE_SPEC: CommandSpec = {
  name: 'tsdb analyze',
  help: 'Analyze churn, label pair cardinality and compaction efficiency.',
  flags: [
    { name: 'limit', help: 'How many items to show in each list.', value: 'LIMIT', default: '20' },
    { name: 'extended', help: 'Run extended analysis.', boolean: true },
    { name: 'match', help: 'Series selector to analyze. Only 1 set of matchers is supported now.', value: 'MATCH' },
  ],
  args: [
    { name: 'db path', help: 'Database path.', default: 'data/' },
    { name: 'block id', help: 'Block to analyze (default is the last block).' },
  ],
  epilog: 'example:\n\n$ pmtool tsdb analyze --limit=10 --match=\'{job="node"}\' data/\n',
};

/** Blocks with more series than this report progress on stderr. */
export const ANALYZE_PROGRESS_SERIES = 200_000;

export function runTsdbAnalyze(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(ANALYZE_SPEC, argv, io, async ({ parsed, args }) => {
    const limitText = flag(parsed, 'limit')!;
    if (!/^\d+$/.test(limitText)) {
      io.stderr(`pmtool: error: strconv.ParseInt: parsing "${limitText}": invalid syntax, try --help\n`);
      return 1;
    }
    const match = flag(parsed, 'match');
    let matchers;
    try {
      matchers = match !== undefined ? { text: match, matchers: parseSelector(match) } : undefined;
    } catch (e) {
      io.stderr(`${(e as Error).message}\n`);
      return 1;
    }
    try {
      const blocks = await openBlocks(args.get('db path')!);
      try {
        const id = args.get('block id');
        const block = id !== undefined ? blocks.find((b) => b.ulid === id) : blocks[blocks.length - 1];
        if (!block) {
          io.stderr(`block ${id ?? ''} not found\n`);
          return 1;
        }
        const total = block.meta.stats.numSeries ?? 0;
        io.stdout(
          analyzeBlock(block, {
            limit: Number(limitText),
            extended: flag(parsed, 'extended') === 'true',
            matchers,
            progressEvery: Math.max(1, Math.ceil(total / 10)),
            onProgress: total > ANALYZE_PROGRESS_SERIES ? (d, t) => io.stderr(`analyze: ${d} / ${t} series\n`) : undefined,
          }),
        );
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
