// `pmtool tsdb list [--human-readable] [<db path>]`: promtool's block table.
import { flag } from '../args.js';
import type { CliIo } from '../cli.js';
import { runCommand, type CommandSpec } from '../command-spec.js';
import { openBlocks } from '../tsdb/open-blocks.js';
import { formatBlocks } from '../tsdb/print-blocks.js';

export const LIST_SPEC: CommandSpec = {
  name: 'tsdb list',
  help: 'List tsdb blocks.',
  flags: [{ name: 'human-readable', short: 'r', help: 'Print human readable values.', boolean: true }],
  args: [{ name: 'db path', help: 'Database path.', default: 'data/' }],
  epilog: 'example:\n\n$ pmtool tsdb list -r data/\n',
};

export function runTsdbList(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(LIST_SPEC, argv, io, async ({ parsed, args }) => {
    try {
      const blocks = await openBlocks(args.get('db path')!);
      try {
        io.stdout(formatBlocks(blocks.map((b) => ({ meta: b.meta, size: b.size() })), true, flag(parsed, 'human-readable') === 'true'));
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
