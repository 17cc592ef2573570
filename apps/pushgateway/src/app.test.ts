import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './index.js';

describe('health endpoints', () => {
  let server: ReturnType<typeof serve>;
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => {
      server = serve({ fetch: createApp().fetch, hostname: '127.0.0.1', port: 0 }, () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
  });

  it('answers /-/healthy and /-/ready over real HTTP', async () => {
    const h = await fetch(`${base}/-/healthy`);
    expect(h.status).toBe(200);
    expect(await h.text()).toBe('Pushgateway is Healthy.\n');
    const r = await fetch(`${base}/-/ready`);
    expect(r.status).toBe(200);
  });
});
