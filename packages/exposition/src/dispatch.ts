// Format dispatch: choose the parser from a Content-Type, the writer from a format.
import { formatFromContentType } from './content-types.js';
import type { ExpositionFormat, MetricFamily } from './model.js';
import { serializeOpenMetrics } from './openmetrics/serialize.js';
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
    default:
      throw new Error(`format ${format} is not available yet`);
  }
}

/** Writes families in `format`: a string for the text formats, bytes for protobuf. */
export function serialize(families: readonly MetricFamily[], format: ExpositionFormat): string | Uint8Array {
  switch (format) {
    case 'text':
      return serializeText(families);
    case 'openmetrics':
      return serializeOpenMetrics(families);
    default:
      throw new Error(`format ${format} is not available yet`);
  }
}
