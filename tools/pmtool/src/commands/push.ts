// `pmtool push <gateway url> <job> [<file>]`: validates an exposition (text or OpenMetrics)
// and pushes it to a Pushgateway group, as client libraries' push_to_gateway does.
import { readFileSync } from 'node:fs';
import { ExpositionError } from '@promethium/exposition';
import { flag } from '../args.js';
import type { CliIo } from '../cli.js';
import { runCommand, type CommandSpec } from '../command-spec.js';
import { groupingUrl, GroupingKeyError, parseLabelArgs, splitCredentials } from '../push/grouping-url.js';
import { prepareBody } from '../push/prepare-body.js';

export const PUSH_SPEC: CommandSpec = {
  name: 'push',
  help: 'Push metrics (text format or OpenMetrics) to a Pushgateway group, replacing the group (put) or the pushed families in it (post).',
  flags: [
    { name: 'label', short: 'l', help: 'Grouping label besides the job, name=value. Repeatable.', value: 'NAME=VALUE', repeatable: true },
    { name: 'method', help: 'put replaces the whole group, post only the families pushed.', value: 'METHOD', default: 'put' },
    { name: 'timeout', help: 'Give up after this long.', value: 'DURATION', default: '30s' },
  ],
  args: [
    { name: 'gateway url', help: 'Pushgateway base URL, e.g. http://127.0.0.1:9091 (user:password@ for basic auth).', required: true },
    { name: 'job', help: 'The job label of the group.', required: true },
    { name: 'file', help: 'Exposition to push; "-" or absent reads stdin.' },
  ],
  epilog: `examples:

$ echo 'errors_total 3' | pmtool push http://127.0.0.1:9091 my_job

$ pmtool push --label instance=db1 --method=post http://127.0.0.1:9091 backup metrics.prom

Exit status: 0 pushed, 1 invalid input or arguments, 2 the gateway refused or could not be reached.
`,
};

const TIMEOUT_RE = /^(\d+)(ms|s|m)$/;

export function runPush(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(PUSH_SPEC, argv, io, async ({ parsed, args }) => {
    const method = flag(parsed, 'method')!.toUpperCase();
    if (method !== 'PUT' && method !== 'POST') {
      io.stderr(`pmtool: error: enum value must be one of put,post, got '${flag(parsed, 'method')}', try --help\n`);
      return 1;
    }
    const tm = TIMEOUT_RE.exec(flag(parsed, 'timeout')!);
    if (!tm) {
      io.stderr(`pmtool: error: invalid --timeout "${flag(parsed, 'timeout')}": expected e.g. 500ms, 30s or 2m, try --help\n`);
      return 1;
    }
    const timeoutMs = Number(tm[1]) * ({ ms: 1, s: 1000, m: 60_000 } as const)[tm[2] as 'ms' | 's' | 'm'];
    let url: string;
    let authorization: string | undefined;
    try {
      ({ url, authorization } = splitCredentials(groupingUrl(args.get('gateway url')!, args.get('job')!, parseLabelArgs(parsed.flags.get('label') ?? []))));
    } catch (e) {
      if (!(e instanceof GroupingKeyError) && !(e instanceof TypeError)) throw e;
      io.stderr(`pmtool: error: ${e.message}, try --help\n`);
      return 1;
    }
    const file = args.get('file');
    const source = file === undefined || file === '-' ? 'stdin' : file;
    let input: Uint8Array;
    try {
      input = source === 'stdin' ? await io.stdin() : readFileSync(file!);
    } catch (e) {
      io.stderr(`push: reading ${source}: ${(e as Error).message}\n`);
      return 1;
    }
    let body: Uint8Array;
    try {
      body = prepareBody(input).body;
    } catch (e) {
      if (!(e instanceof ExpositionError)) throw e;
      io.stderr(`push: invalid metrics in ${source}: ${e.message}\n`);
      return 1;
    }
    try {
      const res = await fetch(url, {
        method,
        body,
        headers: { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', ...(authorization ? { Authorization: authorization } : {}) },
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      if (!res.ok) {
        io.stderr(`push: ${method} ${url}: the gateway answered ${res.status} ${res.statusText}: ${text.trim()}\n`);
        return 2;
      }
      return 0;
    } catch (e) {
      const err = e as Error & { cause?: Error };
      io.stderr(`push: ${method} ${url}: ${err.name === 'TimeoutError' ? `no answer within ${flag(parsed, 'timeout')}` : (err.cause?.message ?? err.message)}\n`);
      return 2;
    }
  });
}
