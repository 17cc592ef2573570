import { describe, expect, it } from 'vitest';
import { ExpositionError } from './index.js';

describe('ExpositionError', () => {
  it('says where, in line:column for text and bytes for protobuf', () => {
    const t = new ExpositionError('expected label name', { format: 'text', line: 3, column: 7, offset: 40 });
    expect(t.message).toBe('text parse error at 3:7: expected label name');
    const p = new ExpositionError('truncated varint', { format: 'protobuf', offset: 12 });
    expect(p.message).toBe('protobuf parse error at byte 12: truncated varint');
    expect(p).toBeInstanceOf(Error);
  });
});
