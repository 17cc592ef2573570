// Public API of @promethium/exposition.
export {
  CONTENT_TYPE_TEXT_004,
  CONTENT_TYPE_OPENMETRICS_100,
  CONTENT_TYPE_OPENMETRICS_001,
  CONTENT_TYPE_PROTOBUF,
  SCRAPE_ACCEPT_HEADER,
  SCRAPE_ACCEPT_HEADER_PROTOBUF_FIRST,
  contentTypeFor,
  formatFromContentType,
  parseMediaType,
} from './content-types.js';
export type { MediaType } from './content-types.js';
export { negotiate } from './negotiate.js';
export type { Negotiated } from './negotiate.js';
export { ExpositionError } from './errors.js';
export type { ExpositionErrorDetails } from './errors.js';
export type { Exemplar, ExpositionFormat, MetricFamily, MetricType, NativeHistogram, Sample } from './model.js';
export { escapeHelp, escapeLabelValue } from './escape.js';
export { formatOpenMetricsValue, formatValue } from './format-value.js';
export { validLabelName, validMetricName, validUtf8Name } from './names.js';
export { parseFloatText } from './numbers.js';
export { TextSampleParser } from './text/sample-parser.js';
export { TextSeriesScanner } from './text/series-scanner.js';
export type { EntryType, SampleStream } from './text/sample-parser.js';
export { parseText } from './text/parse.js';
export { serializeText, serializeTextBytes } from './text/serialize.js';
export { serializeOpenMetrics, serializeOpenMetricsBytes } from './openmetrics/serialize.js';
export { parseOpenMetrics } from './openmetrics/parse.js';
export type { OpenMetricsParseOptions } from './openmetrics/parse.js';
export { OpenMetricsSampleParser, EXEMPLAR_MAX_CODE_POINTS } from './openmetrics/sample-parser.js';
export { parse, serialize } from './dispatch.js';
export { decodeProtobuf } from './protobuf/decode.js';
export { encodeProtobuf } from './protobuf/encode.js';
export { lint } from './lint.js';
export type { LintProblem } from './lint.js';
// Wire-level protobuf reader/writer, shared with the remote-write/read codecs.
export { Reader as ProtoReader, Writer as ProtoWriter, WT_FIXED32, WT_FIXED64, WT_LEN, WT_VARINT } from './protobuf/wire.js';
