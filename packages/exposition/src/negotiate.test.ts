import { describe, expect, it } from 'vitest';
import {
  CONTENT_TYPE_OPENMETRICS_001,
  CONTENT_TYPE_OPENMETRICS_100,
  CONTENT_TYPE_PROTOBUF,
  CONTENT_TYPE_TEXT_004,
  SCRAPE_ACCEPT_HEADER,
  SCRAPE_ACCEPT_HEADER_PROTOBUF_FIRST,
  formatFromContentType,
  negotiate,
} from './index.js';

describe('negotiate', () => {
  it('answers Prometheus default scrape header with OpenMetrics 1.0.0', () => {
    expect(negotiate(SCRAPE_ACCEPT_HEADER)).toEqual({ format: 'openmetrics', contentType: CONTENT_TYPE_OPENMETRICS_100 });
  });
  it('answers the protobuf-first header with protobuf', () => {
    expect(negotiate(SCRAPE_ACCEPT_HEADER_PROTOBUF_FIRST)).toEqual({ format: 'protobuf', contentType: CONTENT_TYPE_PROTOBUF });
  });
  it('falls back to text 0.0.4', () => {
    for (const a of [undefined, '', '*/*', 'application/json', 'text/html;q=0.9', 'application/openmetrics-text;version=9.9']) {
      expect(negotiate(a)).toEqual({ format: 'text', contentType: CONTENT_TYPE_TEXT_004 });
    }
  });
  it('orders by q and skips q=0', () => {
    expect(negotiate('text/plain;version=0.0.4;q=0.3,application/openmetrics-text;q=0.9').format).toBe('openmetrics');
    expect(negotiate('application/openmetrics-text;q=0,text/plain').format).toBe('text');
    expect(negotiate('application/openmetrics-text; version=0.0.1').contentType).toBe(CONTENT_TYPE_OPENMETRICS_001);
  });
  it('requires the MetricFamily delimited protobuf parameters', () => {
    expect(negotiate('application/vnd.google.protobuf').format).toBe('text');
  });
});

describe('formatFromContentType', () => {
  it('recognises the three formats, case-insensitively, and nothing else', () => {
    expect(formatFromContentType(CONTENT_TYPE_TEXT_004)).toBe('text');
    expect(formatFromContentType('Application/OpenMetrics-Text; version=1.0.0')).toBe('openmetrics');
    expect(formatFromContentType(CONTENT_TYPE_PROTOBUF)).toBe('protobuf');
    expect(formatFromContentType('application/vnd.google.protobuf; proto=other.Msg')).toBeUndefined();
    expect(formatFromContentType('application/json')).toBeUndefined();
    expect(formatFromContentType('')).toBeUndefined();
  });
});
