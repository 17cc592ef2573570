// `pmtool tsdb create-blocks-from openmetrics <input file> [<output directory>]`: promtool's
// backfill. Prints each block as it is written (unless --quiet) and progress on stderr for
// large inputs.
import { mkdirSync, statSync } from 'node:fs';
import { flag } from '../args.js';
import type { CliIo } from '../cli.js';
import { runCommand, type CommandSpec } from '../command-spec.js';
import { parseGoDuration } from '../query/time-args.js';
import { backfill, BackfillError, type BackfillProgress } from '../tsdb/backfill.js';
import { formatBlocks } from '../tsdb/print-blocks.js';

export const CREATE_BLOCKS_SPEC: CommandSpec = {
  name: 'tsdb create-blocks-from openmetrics',
  help: 'Import samples from OpenMetrics input and produce TSDB blocks (aligned to 2h, or to --max-block-duration).',
  flags: [
    { name: 'human-readable', short: 'r', help: 'Print human readable values.', boolean: true },
    { name: 'quiet', short: 'q', help: 'Do not print created blocks (nor progress).', boolean: true },
    { name: 'max-block-duration', help: 'Maximum duration created blocks may span. Anything less than 2h is ignored.', value: 'DURATION' },
  ],
  args: [
    { name: 'input file', help: 'OpenMetrics file to read samples from.', required: true },
    { name: 'output directory', help: 'Output directory for generated blocks.', default: 'data/' },
  ],
  epilog: `example:

$ pmtool tsdb create-blocks-from openmetrics metrics.om data/

Every sample needs a timestamp. Inputs of 8 MiB or more show progress on stderr
(PMTOOL_PROGRESS_MIN_BYTES=<bytes> changes the threshold).
Exit status: 0 ok, 1 on bad input (nothing is written) or I/O errors.
`,
};

/** Inputs of at least this size report progress on stderr (PMTOOL_PROGRESS_MIN_BYTES overrides). */
export const PROGRESS_THRESHOLD = 8 << 20;

function progressThreshold(): number {
  const env = process.env.PMTOOL_PROGRESS_MIN_BYTES;
  return env !== undefined && /^\d+$/.test(env) ? Number(env) : PROGRESS_THRESHOLD;
}

export function runCreateBlocks(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(CREATE_BLOCKS_SPEC, argv, io, async ({ parsed, args }) => {
    const human = flag(parsed, 'human-readable') === 'true';
    const quiet = flag(parsed, 'quiet') === 'true';
    let maxBlockDuration = 0;
    const mbd = flag(parsed, 'max-block-duration');
    if (mbd !== undefined) {
      try {
        maxBlockDuration = Math.round(parseGoDuration('--max-block-duration', mbd) * 1000);
      } catch (e) {
        io.stderr(`pmtool: error: ${(e as Error).message}, try --help\n`);
        return 1;
      }
    }
    const inputFile = args.get('input file')!;
    const outputDir = args.get('output directory')!;
    let size: number;
    try {
      const st = statSync(inputFile);
      if (!st.isFile()) throw new Error(`${inputFile} is not a file`);
      size = st.size;
    } catch (e) {
      io.stderr(`read input file: ${(e as Error).message}\n`);
      return 1;
    }
    try {
      mkdirSync(outputDir, { recursive: true });
    } catch (e) {
      io.stderr(`create output dir: ${(e as Error).message}\n`);
      return 1;
    }
    let header = true;
    const progress = !quiet && size >= progressThreshold();
    try {
      await backfill({ file: inputFile }, outputDir, {
        maxBlockDuration,
        onBlock: (meta, size) => {
          if (quiet) return;
          io.stdout(formatBlocks([{ meta, size }], header, human));
          header = false;
        },
        onProgress: progress ? (p) => io.stderr(progressLine(p)) : undefined,
      });
    } catch (e) {
      if (!(e instanceof BackfillError)) {
        io.stderr(`process blocks: ${(e as Error).message}\n`);
        return 1;
      }
      io.stderr(`${e.message}\n`);
      return 1;
    }
    return 0;
  });
}

function progressLine(p: BackfillProgress): string {
  const mib = (n: number) => (n / 1048576).toFixed(1);
  if (p.phase === 'parse') return `backfill: read ${mib(p.bytesRead)} / ${mib(p.bytesTotal)} MiB (${Math.floor((100 * p.bytesRead) / p.bytesTotal)}%)\n`;
  return `backfill: wrote block ${p.blocksWritten} / ${p.blocksTotal}\n`;
}
