import { createPushgateway, type Pushgateway } from '@promethium/pushgateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBatchJob } from './index.js';

describe('example batch job', () => {
  let gw: Pushgateway;
  let url = '';
  beforeAll(async () => {
    gw = createPushgateway({ listenAddress: '127.0.0.1:0' });
    url = (await gw.listen()).url;
  });
  afterAll(async () => {
    await gw.close();
  });

  it('pushes errors_total to a real pushgateway under job="my_job"', async () => {
    const job = startBatchJob({ gateway: url, intervalMs: 60_000, log: () => {} });
    await job.runOnce();
    job.stop();
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toMatch(/errors_total\{instance="",job="my_job"\} 1/);
    expect(text).toMatch(/items_processed_total\{instance="",job="my_job"\} (10|20)/);
  });

  it('keeps running when the gateway is unreachable, and says so', async () => {
    const logs: string[] = [];
    const job = startBatchJob({ gateway: 'http://127.0.0.1:9', intervalMs: 60_000, log: (m) => logs.push(m) });
    await job.runOnce();
    job.stop();
    expect(logs.join('\n')).toContain('push to http://127.0.0.1:9 failed');
  });
});
