// Format dispatch: choose the parser from a Content-Type, the writer from a format.
import { formatFromContentType } from './content-types.js';
import type { ExpositionFormat, MetricFamily } from './model.js';
import { parseOpenMetrics } from './openmetrics/parse.js';
import { serializeOpenMetrics } from './openmetrics/serialize.js';
import { decodeProtobuf } from './protobuf/decode.js';
import { encodeProtobuf } from './protobuf/encode.js';
import { parseText } from './text/parse.js';
import { serializeText } from './text/serialize.js';

/** Parses with the parser the Content-Type names; a missing or unknown type means text 0.0.4. */
export function parse(
  input: Uint8Array | string,
  contentType?: string,
): { format: ExpositionFormat; families: MetricFamily[] } {
  const format = (contentType !== undefined ? formatFromContentType(contentType) : undefined) ?? 'text';
  switch (format) {
    case 'text':
      return { format, families: parseText(input) };
    case 'openmetrics':
      return { format, families: parseOpenMetrics(input) };
    case 'protobuf':
      return { format, families: decodeProtobuf(typeof input === 'string' ? Buffer.from(input, 'latin1') : input) };
  }
}

/** Writes families in `format`: a string for the text formats, bytes for protobuf. */
export function serialize(families: readonly MetricFamily[], format: ExpositionFormat): string | Uint8Array {
  switch (format) {
    case 'text':
      return serializeText(families);
    case 'openmetrics':
      return serializeOpenMetrics(families);
    case 'protobuf':
      return encodeProtobuf(families);
  }
}
