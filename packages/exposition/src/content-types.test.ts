import { describe, expect, it } from 'vitest';
import { CONTENT_TYPE_OPENMETRICS_100, CONTENT_TYPE_PROTOBUF, CONTENT_TYPE_TEXT_004 } from './index.js';

describe('content types', () => {
  it('match the strings Prometheus targets send', () => {
    expect(CONTENT_TYPE_TEXT_004).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(CONTENT_TYPE_OPENMETRICS_100).toContain('application/openmetrics-text; version=1.0.0');
    expect(CONTENT_TYPE_PROTOBUF).toContain('encoding=delimited');
  });
});
