import { describe, expect, it } from 'vitest';
import { PermanentWriteError } from './write-client.js';
import { checkV2Written } from './write-v2-written.js';

describe('checkV2Written', () => {
  it('accepts a 2xx whose Samples-Written header counts what was written', () => {
    expect(() => checkV2Written({ status: 204, headers: { 'x-prometheus-remote-write-samples-written': '500' } }, 500)).not.toThrow();
    expect(() => checkV2Written({ status: 204, headers: {} }, 0)).not.toThrow();
  });

  it('turns a 2xx without the header (a 1.0-only receiver) or with 0 written into a permanent error', () => {
    const missing = (): void => checkV2Written({ status: 204, headers: {} }, 7);
    expect(missing).toThrow(PermanentWriteError);
    expect(missing).toThrow(/with 7 samples; the receiver answered 2xx without an X-Prometheus-Remote-Write-Samples-Written header.*protobuf_message: prometheus\.WriteRequest/);
    expect(() => checkV2Written({ status: 200, headers: { 'x-prometheus-remote-write-samples-written': '0' } }, 3)).toThrow(/header says 0 were written/);
  });
});
