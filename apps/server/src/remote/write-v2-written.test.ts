import { describe, expect, it } from 'vitest';
import { nothingWritten } from './write-v2-written.js';

describe('nothingWritten', () => {
  it('accepts a 2xx whose Samples-Written header counts what was written', () => {
    expect(nothingWritten({ 'x-prometheus-remote-write-samples-written': '500' }, 500)).toBeUndefined();
    expect(nothingWritten({}, 0)).toBeUndefined();
  });

  it('explains a 2xx without the header (a 1.0-only receiver) or with 0 written', () => {
    expect(nothingWritten({}, 7)).toMatch(/with 7 samples; the receiver answered 2xx without an X-Prometheus-Remote-Write-Samples-Written header.*protobuf_message: prometheus\.WriteRequest/);
    expect(nothingWritten({ 'x-prometheus-remote-write-samples-written': '0' }, 3)).toMatch(/header says 0 were written/);
  });
});
