import { describe, expect, it } from 'vitest';
import {
  CONTENT_TYPE_OPENMETRICS_100,
  CONTENT_TYPE_PROTOBUF,
  ExpositionError,
  parse,
  parseText,
  serialize,
  serializeOpenMetricsBytes,
  serializeTextBytes,
} from './index.js';

const fams = parseText('# HELP a_total Things.\n# TYPE a_total counter\na_total{x="ü"} 2\n');

describe('parse / serialize dispatch', () => {
  it('picks the parser from the Content-Type and falls back to text', () => {
    expect(parse('a 1\n').format).toBe('text');
    expect(parse('a 1\n', 'application/json').format).toBe('text');
    expect(parse('a 1\n# EOF\n', CONTENT_TYPE_OPENMETRICS_100)).toEqual({ format: 'openmetrics', families: [{ name: 'a', type: 'unknown', samples: [{ name: 'a', labels: {}, value: 1 }] }] });
    const pb = serialize(fams, 'protobuf');
    expect(pb).toBeInstanceOf(Uint8Array);
    expect(parse(pb, CONTENT_TYPE_PROTOBUF)).toEqual({ format: 'protobuf', families: fams });
    expect(() => parse('a 1\n', CONTENT_TYPE_OPENMETRICS_100)).toThrow(ExpositionError);
  });
  it('writes each format, as a string or UTF-8 bytes', () => {
    expect(serialize(fams, 'text')).toBe('# HELP a_total Things.\n# TYPE a_total counter\na_total{x="ü"} 2\n');
    expect(serialize(fams, 'openmetrics')).toBe('# HELP a Things.\n# TYPE a counter\na_total{x="ü"} 2.0\n# EOF\n');
    expect(new TextDecoder().decode(serializeTextBytes(fams))).toBe(serialize(fams, 'text'));
    expect(new TextDecoder().decode(serializeOpenMetricsBytes(fams))).toBe(serialize(fams, 'openmetrics'));
  });
});
