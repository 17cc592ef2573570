// Validates an exposition before it is pushed and turns it into what the Pushgateway parses:
// text 0.0.4 as given, OpenMetrics re-serialized as text (the gateway reads only text and
// protobuf). Errors say where (line:column), including the timestamps the gateway refuses.
import { ExpositionError, OpenMetricsSampleParser, TextSampleParser, parseOpenMetrics, parseText, serializeText } from '@promethium/exposition';
import type { SampleStream } from '@promethium/exposition';
import { detectFormat } from '../commands/check-metrics.js';

export interface PreparedBody {
  format: 'text' | 'openmetrics';
  body: Uint8Array;
  families: number;
}

export function prepareBody(input: Uint8Array): PreparedBody {
  const detected = detectFormat(input);
  if (detected === 'protobuf') throw new ExpositionError('protobuf input is not supported by pmtool push; use the text format', { format: 'protobuf', offset: 0 });
  const families = detected === 'openmetrics' ? parseOpenMetrics(input) : parseText(input);
  // The parsers above check structure; a second pass finds timestamps with their position.
  const stream: SampleStream = detected === 'openmetrics' ? new OpenMetricsSampleParser(input) : new TextSampleParser(input);
  for (let e = stream.next(); e !== undefined; e = stream.next()) {
    if (e === 'sample' && stream.timestampMs !== undefined) {
      throw stream.errorAtEntry('pushed metrics must not have timestamps (the Pushgateway refuses them)', 'no timestamp');
    }
  }
  const body = detected === 'openmetrics' ? Buffer.from(serializeText(families)) : input;
  return { format: detected, body, families: families.length };
}
