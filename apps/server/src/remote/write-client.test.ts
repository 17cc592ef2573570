import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpClientConfig } from '../config/types.js';
import { startHttpTarget } from '../testing/http-target.js';
import type { HttpTarget } from '../testing/http-target.js';
import { RecoverableWriteError, WriteClient } from './write-client.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('WriteClient credentials', () => {
  it('retries, rather than drops, a batch whose password_file cannot be read, and sends the rotated secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-rw-auth-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const receiver: HttpTarget = await startHttpTarget((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    cleanups.push(() => receiver.close());
    const file = join(dir, 'pass');
    const client: HttpClientConfig = { tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: false, basic_auth: { username: 'prom', password_file: file } };
    const w = new WriteClient({ url: `http://${receiver.address}/api/v1/write`, timeoutMs: 5000, headers: {}, client, maxSockets: 1 });
    cleanups.push(() => w.close());
    const err = await w.store(Uint8Array.of(0)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecoverableWriteError);
    expect((err as Error).message).toContain('unable to read credentials');
    expect((err as Error).message).toContain(file);
    expect(receiver.requests).toHaveLength(0);
    writeFileSync(file, 'second\n');
    await w.store(Uint8Array.of(0));
    expect(receiver.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('prom:second').toString('base64')}`);
  });
});
