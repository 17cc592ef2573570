// Public API of @promethium/exposition.
export { CONTENT_TYPE_TEXT_004, CONTENT_TYPE_OPENMETRICS_100, CONTENT_TYPE_PROTOBUF } from './content-types.js';
export { ExpositionError } from './errors.js';
export type { ExpositionErrorDetails } from './errors.js';
export type { Exemplar, ExpositionFormat, MetricFamily, MetricType, NativeHistogram, Sample } from './model.js';
