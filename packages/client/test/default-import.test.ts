import { describe, expect, it } from 'vitest';
import client from '../src/index.js';
import * as named from '../src/index.js';

describe('default import', () => {
  it('works like `import client from "prom-client"`', async () => {
    const r = new client.Registry();
    new client.Counter({ name: 'x_total', help: 'h', registers: [r] }).inc();
    expect(await r.metrics()).toContain('x_total 1');
    expect(client.Counter).toBe(named.Counter);
    expect(client.register).toBe(named.register);
  });
});
