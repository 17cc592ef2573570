// `pmtool check metrics`: read an exposition from stdin, parse it (exit 1 with line:column on a
// parse error) and lint it with promtool's rules (exit 3, one problem per line on stderr).
import { ExpositionError, decodeProtobuf, lint, parseOpenMetrics, parseText } from '@promethium/exposition';
import type { MetricFamily } from '@promethium/exposition';
import type { CliIo } from '../cli.js';

const FORMATS = ['auto', 'text', 'openmetrics', 'protobuf'] as const;
const LINTS = ['all', 'none'] as const;
type Format = (typeof FORMATS)[number];

const HELP = `usage: pmtool check metrics [<flags>]

Pass Prometheus metrics over stdin to lint them for consistency and correctness.

examples:

$ cat metrics.prom | pmtool check metrics

$ curl -s http://localhost:9090/metrics | pmtool check metrics

Flags:
  --format=auto      Input format: auto, text, openmetrics or protobuf (delimited MetricFamily).
  --lint=all         Linting: all (promtool's rules) or none (parse only).

Exit status: 0 ok, 1 parse error, 3 lint problems.
`;

/** Exit codes as promtool uses them. */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_LINT = 3;

export async function checkMetrics(args: readonly string[], io: CliIo): Promise<number> {
  let format: Format = 'auto';
  let lintMode: (typeof LINTS)[number] = 'all';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-h' || a === '--help') {
      io.stdout(HELP);
      return EXIT_OK;
    }
    const eq = a.indexOf('=');
    const flag = eq === -1 ? a : a.slice(0, eq);
    if (flag !== '--format' && flag !== '--lint') {
      io.stderr(a.startsWith('-') ? `pmtool: error: unknown long flag '${flag}', try --help\n` : `pmtool: error: unexpected ${a}, try --help\n`);
      return EXIT_ERROR;
    }
    const value = eq === -1 ? args[++i] : a.slice(eq + 1);
    const allowed: readonly string[] = flag === '--format' ? FORMATS : LINTS;
    if (value === undefined || !allowed.includes(value)) {
      io.stderr(`pmtool: error: enum value must be one of ${allowed.join(',')}, got '${value ?? ''}', try --help\n`);
      return EXIT_ERROR;
    }
    if (flag === '--format') format = value as Format;
    else lintMode = value as (typeof LINTS)[number];
  }

  const input = await io.stdin();
  let families: MetricFamily[];
  try {
    families = parseAs(format === 'auto' ? detectFormat(input) : format, input);
  } catch (e) {
    if (!(e instanceof ExpositionError)) throw e;
    io.stderr(`error while linting: ${e.message}\n`);
    return EXIT_ERROR;
  }
  if (lintMode === 'none') return EXIT_OK;
  const problems = lint(families);
  for (const p of problems) io.stderr(`${p.metric} ${p.text}\n`);
  return problems.length > 0 ? EXIT_LINT : EXIT_OK;
}

function parseAs(format: Exclude<Format, 'auto'>, input: Uint8Array): MetricFamily[] {
  switch (format) {
    case 'text':
      return parseText(input);
    case 'openmetrics':
      return parseOpenMetrics(input);
    case 'protobuf':
      return decodeProtobuf(input);
  }
}

/** OpenMetrics ends in "# EOF"; protobuf starts with a length varint and MetricFamily.name (0x0a) and decodes; else text. */
export function detectFormat(input: Uint8Array): Exclude<Format, 'auto'> {
  let end = input.length;
  if (end > 0 && input[end - 1] === 0x0a) end--;
  if (end >= 5 && Buffer.from(input.buffer, input.byteOffset + end - 5, 5).toString('latin1') === '# EOF') return 'openmetrics';
  let i = 0;
  while (i < input.length && i < 5 && input[i]! >= 0x80) i++;
  if (input.length > i + 1 && input[i + 1] === 0x0a && input[0] !== 0x23) {
    // Text can start the same way (e.g. a blank line); it is protobuf only if it decodes.
    try {
      decodeProtobuf(input);
      return 'protobuf';
    } catch {
      return 'text';
    }
  }
  return 'text';
}
