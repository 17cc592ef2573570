// `pmtool query instant|range|series|labels`: promtool's query commands, same flags,
// same output (promql or json) and exit codes, against any Prometheus-compatible API.
import { flag, formatFlagsHelp, parseArgs, UsageError, type FlagSpec } from '../args.js';
import type { CliIo } from '../cli.js';
import { ApiClient, type ApiClientOptions, type RequestRoute } from '../query/api-client.js';
import { authorizationHeader, clientRoute, configHeaders, loadHttpClientConfigFile, routeErrorMessage } from '@promethium/server';
import { formatLabelSet, formatQueryData, type Metric, type QueryData } from '../query/format-result.js';
import { parseGoDuration, parseTimeArg } from '../query/time-args.js';

const FORMAT: FlagSpec = { name: 'format', short: 'o', help: 'Output format of the query: promql or json.', value: 'FORMAT', default: 'promql' };
const HEADER: FlagSpec = { name: 'header', help: 'Extra headers to send to server (name=value).', value: 'HEADER', repeatable: true };
const START: FlagSpec = { name: 'start', help: 'Start time (RFC3339 or Unix timestamp).', value: 'START' };
const END: FlagSpec = { name: 'end', help: 'End time (RFC3339 or Unix timestamp).', value: 'END' };
const HTTP_CONFIG: FlagSpec = {
  name: 'http.config.file',
  help: 'HTTP client configuration file for pmtool to connect to Prometheus (basic_auth, authorization, tls_config, proxy_url, http_headers).',
  value: '<filename>',
};
const MATCH: FlagSpec = { name: 'match', help: 'Series selector. Can be specified multiple times.', value: 'MATCH', repeatable: true };

interface Sub {
  args: string;
  help: string;
  flags: FlagSpec[];
  positional: string[];
  run(client: ApiClient, pos: string[], p: ReturnType<typeof parseArgs>): Promise<{ data: unknown; text: string }>;
}

const SUBS: Record<string, Sub> = {
  instant: {
    args: '<server> <expr>',
    help: 'Run instant query.',
    flags: [HTTP_CONFIG, FORMAT, HEADER, { name: 'time', help: 'Query evaluation time (RFC3339 or Unix timestamp).', value: 'TIME' }],
    positional: ['server', 'expr'],
    async run(client, [, expr], p) {
      const params: [string, string][] = [['query', expr!]];
      const t = flag(p, 'time');
      params.push(['time', String(t !== undefined ? parseTimeArg('--time', t) : Date.now() / 1000)]);
      const r = await client.call<QueryData>('/api/v1/query', params);
      return { data: r.data.result, text: formatQueryData(r.data) };
    },
  },
  range: {
    args: '<server> <expr>',
    help: 'Run range query.',
    flags: [HTTP_CONFIG, FORMAT, HEADER, START, END, { name: 'step', help: 'Query step size (duration).', value: 'STEP' }],
    positional: ['server', 'expr'],
    async run(client, [, expr], p) {
      const endArg = flag(p, 'end');
      const startArg = flag(p, 'start');
      const end = endArg !== undefined ? parseTimeArg('--end', endArg) : Date.now() / 1000;
      const start = startArg !== undefined ? parseTimeArg('--start', startArg) : end - 300;
      if (start > end) throw new UsageError('start time is not before end time');
      const stepArg = flag(p, 'step');
      // promtool's default resolution: range / 250, at least 1 s.
      const step = stepArg !== undefined ? parseGoDuration('--step', stepArg) : Math.max(Math.floor((end - start) / 250), 1);
      const r = await client.call<QueryData>('/api/v1/query_range', [
        ['query', expr!],
        ['start', String(start)],
        ['end', String(end)],
        ['step', String(step)],
      ]);
      return { data: r.data.result, text: formatQueryData(r.data) };
    },
  },
  series: {
    args: '--match=MATCH <server>',
    help: 'Run series query.',
    flags: [HTTP_CONFIG, FORMAT, MATCH, START, END],
    positional: ['server'],
    async run(client, _pos, p) {
      const matches = p.flags.get('match') ?? [];
      if (matches.length === 0) throw new UsageError("required flag --match not provided");
      const r = await client.call<Metric[]>('/api/v1/series', [...matches.map((m): [string, string] => ['match[]', m]), ...range(p)]);
      return { data: r.data, text: r.data.map(formatLabelSet).join('\n') };
    },
  },
  labels: {
    args: '<server> <name>',
    help: 'Run labels query.',
    flags: [HTTP_CONFIG, FORMAT, START, END, MATCH],
    positional: ['server', 'name'],
    async run(client, [, name], p) {
      const matches = (p.flags.get('match') ?? []).map((m): [string, string] => ['match[]', m]);
      const r = await client.call<string[]>(`/api/v1/label/${encodeURIComponent(name!)}/values`, [...matches, ...range(p)]);
      return { data: r.data, text: r.data.join('\n') };
    },
  },
};

function range(p: ReturnType<typeof parseArgs>): [string, string][] {
  const out: [string, string][] = [];
  const s = flag(p, 'start');
  const e = flag(p, 'end');
  if (s !== undefined) out.push(['start', String(parseTimeArg('--start', s))]);
  if (e !== undefined) out.push(['end', String(parseTimeArg('--end', e))]);
  return out;
}

export const QUERY_USAGE = `usage: pmtool query [<flags>] <command> [<args> ...]

Run query against a Prometheus server.

Subcommands:
${Object.entries(SUBS)
  .map(([n, s]) => `  query ${n} [<flags>] ${s.args}\n      ${s.help}`)
  .join('\n')}
`;

export async function runQuery(argv: readonly string[], io: CliIo): Promise<number> {
  // promtool's --http.config.file belongs to `query` itself, so it may come before the subcommand.
  const lead: string[] = [];
  let i = 0;
  for (; argv[i]?.startsWith('--http.config.file'); i++) {
    lead.push(argv[i]!);
    if (argv[i] === '--http.config.file' && argv[i + 1] !== undefined) lead.push(argv[++i]!);
  }
  const [subName, ...tail] = argv.slice(i);
  const rest = [...lead, ...tail];
  const sub = subName !== undefined ? SUBS[subName] : undefined;
  if (!sub || rest.includes('--help') || rest.includes('-h')) {
    if (sub) {
      io.stdout(`usage: pmtool query ${subName} [<flags>] ${sub.args}\n\n${sub.help}\n\nFlags:\n${formatFlagsHelp(sub.flags)}\n`);
      return 0;
    }
    if (subName === undefined || subName === '--help' || subName === '-h') {
      io.stdout(QUERY_USAGE);
      return 0;
    }
    io.stderr(`pmtool: error: expected command but got "query ${subName}", try --help\n`);
    return 1;
  }
  try {
    const p = parseArgs(rest, sub.flags);
    if (p.positional.length < sub.positional.length) {
      throw new UsageError(`required argument '${sub.positional[p.positional.length]}' not provided`);
    }
    if (p.positional.length > sub.positional.length) {
      throw new UsageError(`unexpected ${p.positional[sub.positional.length]}`);
    }
    const format = flag(p, 'format');
    if (format !== 'promql' && format !== 'json') throw new UsageError(`enum value must be one of json,promql, got '${format}'`);
    const headers: Record<string, string> = {};
    for (const h of p.flags.get('header') ?? []) {
      const eq = h.indexOf('=');
      if (eq <= 0) throw new UsageError(`invalid --header "${h}": expected name=value`);
      headers[h.slice(0, eq)] = h.slice(eq + 1);
    }
    const client = new ApiClient(p.positional[0]!, { headers, ...(await httpClientOptions(flag(p, 'http.config.file'))) });
    try {
      const { data, text } = await sub.run(client, p.positional, p);
      io.stdout((format === 'json' ? JSON.stringify(data) : text) + '\n');
      return 0;
    } catch (e) {
      io.stderr(`query error: ${(e as Error).message}\n`);
      return 1;
    }
  } catch (e) {
    io.stderr(`pmtool: error: ${(e as Error).message}, try --help\n`);
    return 1;
  }
}

/** TLS and credentials from --http.config.file (the HTTP client block of prometheus.yml). */
async function httpClientOptions(file: string | undefined): Promise<ApiClientOptions> {
  if (file === undefined) return {};
  const cfg = loadHttpClientConfigFile(file);
  const authorization = await authorizationHeader(cfg);
  const route = async (url: URL): Promise<RequestRoute> => {
    // A CLI sends a request or two: one route (and agent) per request is cheap, and its proxy
    // path is the request's own URL.
    const r = await clientRoute(url, cfg);
    return { agent: r.agent, options: r.options, headers: { ...(await configHeaders(cfg)), ...r.headers }, describe: (e) => routeErrorMessage(r.proxy !== undefined, e) };
  };
  return { route, ...(authorization ? { authorization } : {}) };
}
