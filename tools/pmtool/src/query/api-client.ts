// A minimal client for the Prometheus HTTP API v1, as promtool's: POST form bodies
// (falling back to GET on 405), basic auth taken from user:password@ in the URL, TLS and
// credentials from --http.config.file through an agent (node:https, as fetch() cannot
// take a CA or a client certificate per request).
import http from 'node:http';
import https from 'node:https';

interface RawResponse {
  status: number;
  statusText: string;
  text: string;
}
export interface ApiSuccess<T> {
  status: 'success';
  data: T;
  warnings?: string[];
  infos?: string[];
}

export class ApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** An https.Agent carrying tls_config; used for https URLs. */
  agent?: http.Agent;
  /** Authorization header from --http.config.file; replaces user:password@ in the URL. */
  authorization?: string;
  /**
   * Per request, from --http.config.file: the agent, request options and headers of the config's
   * proxy route and its http_headers. Replaces `agent` when given.
   */
  route?: (url: URL) => Promise<RequestRoute>;
}

export interface RequestRoute {
  agent: http.Agent;
  options: http.RequestOptions;
  headers: Record<string, string | string[]>;
  /** A transport error's text (proxy failures said as Go says them). */
  describe(e: Error): string;
}

export class ApiClient {
  private readonly base: URL;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly agent: http.Agent | undefined;
  private readonly route: ((url: URL) => Promise<RequestRoute>) | undefined;

  constructor(server: string, options: ApiClientOptions = {}) {
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      throw new ApiError(`invalid server URL "${server}": expected e.g. http://localhost:9090`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ApiError(`invalid server URL "${server}": scheme must be http or https`);
    }
    this.headers = { ...options.headers };
    // fetch() refuses URLs with credentials; send them as a header instead.
    if (url.username || url.password) {
      const cred = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      this.headers.Authorization = `Basic ${Buffer.from(cred).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    if (options.authorization) this.headers.Authorization = options.authorization;
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    this.base = url;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.agent = options.agent;
    this.route = options.route;
  }

  async call<T>(path: string, params: [string, string][]): Promise<ApiSuccess<T>> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    const body = new URLSearchParams(params);
    let res = await this.send(url, 'POST', body);
    if (res.status === 405) {
      url.search = body.toString();
      res = await this.send(url, 'GET');
    }
    const text = res.text;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiError(`server returned HTTP status ${res.status} ${res.statusText} and a non-JSON body: ${text.slice(0, 200)}`);
    }
    const env = json as { status?: string; errorType?: string; error?: string };
    if (env.status !== 'success') {
      throw new ApiError(`${env.errorType ?? 'error'}: ${env.error ?? `HTTP status ${res.status}`}`);
    }
    return json as ApiSuccess<T>;
  }

  private async send(url: URL, method: 'GET' | 'POST', body?: URLSearchParams): Promise<RawResponse> {
    let route: RequestRoute | undefined;
    try {
      route = await this.route?.(url);
    } catch (e) {
      throw new ApiError(`${method === 'POST' ? 'Post' : 'Get'} "${url.href}": ${(e as Error).message}`);
    }
    const headers: Record<string, string | string[]> = { ...route?.headers, ...this.headers };
    const payload = body?.toString();
    if (payload !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const isHttps = url.protocol === 'https:';
    const transport = route ? { agent: route.agent, ...route.options } : isHttps && this.agent ? { agent: this.agent } : {};
    return new Promise((resolve, reject) => {
      const req = (isHttps ? https : http).request(
        url,
        { method, headers, signal: AbortSignal.timeout(this.timeoutMs), ...transport },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', (e: Error) => {
        const reason = e.name === 'AbortError' ? 'context deadline exceeded' : route ? route.describe(e) : e.message;
        reject(new ApiError(`${method === 'POST' ? 'Post' : 'Get'} "${url.href}": ${reason}`));
      });
      req.end(payload);
    });
  }
}
