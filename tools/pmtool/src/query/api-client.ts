// A minimal client for the Prometheus HTTP API v1, as promtool's: POST form bodies
// (falling back to GET on 405), basic auth taken from user:password@ in the URL.
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
}

export class ApiClient {
  private readonly base: URL;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

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
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    this.base = url;
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  async call<T>(path: string, params: [string, string][]): Promise<ApiSuccess<T>> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    const body = new URLSearchParams(params);
    let res = await this.send(url, 'POST', body);
    if (res.status === 405) {
      url.search = body.toString();
      res = await this.send(url, 'GET');
    }
    const text = await res.text();
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

  private async send(url: URL, method: 'GET' | 'POST', body?: URLSearchParams): Promise<Response> {
    const headers: Record<string, string> = { ...this.headers };
    if (body) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    try {
      return await fetch(url, { method, headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const cause = (e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message;
      throw new ApiError(`${method === 'POST' ? 'Post' : 'Get'} "${url.href}": ${cause}`);
    }
  }
}
