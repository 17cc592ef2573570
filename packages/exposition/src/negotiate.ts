// Content negotiation as client_golang's expfmt.Negotiate does it: walk the Accept entries by
// descending q (stable for ties), answer with the first one we can produce; fall back to text 0.0.4.
import {
  CONTENT_TYPE_OPENMETRICS_001,
  CONTENT_TYPE_OPENMETRICS_100,
  CONTENT_TYPE_PROTOBUF,
  CONTENT_TYPE_TEXT_004,
  parseMediaType,
} from './content-types.js';
import type { ExpositionFormat } from './model.js';

export interface Negotiated {
  format: ExpositionFormat;
  contentType: string;
}

const TEXT: Negotiated = { format: 'text', contentType: CONTENT_TYPE_TEXT_004 };

/** What a target answers for an Accept header. */
export function negotiate(accept: string | undefined): Negotiated {
  if (accept === undefined || accept.trim() === '') return TEXT;
  const entries: { index: number; q: number; type: string; params: Map<string, string> }[] = [];
  accept.split(',').forEach((raw, index) => {
    const mt = parseMediaType(raw);
    if (mt.type === '') return;
    const qs = mt.params.get('q');
    let q = 1;
    if (qs !== undefined) {
      q = Number(qs);
      if (!Number.isFinite(q)) q = 0;
    }
    if (q > 0) entries.push({ index, q, type: mt.type, params: mt.params });
  });
  entries.sort((a, b) => b.q - a.q || a.index - b.index);
  for (const e of entries) {
    const version = e.params.get('version');
    switch (e.type) {
      case 'application/vnd.google.protobuf':
        if (e.params.get('proto') === 'io.prometheus.client.MetricFamily' && e.params.get('encoding') === 'delimited') {
          return { format: 'protobuf', contentType: CONTENT_TYPE_PROTOBUF };
        }
        break;
      case 'application/openmetrics-text':
        if (version === undefined || version === '1.0.0') {
          return { format: 'openmetrics', contentType: CONTENT_TYPE_OPENMETRICS_100 };
        }
        if (version === '0.0.1') return { format: 'openmetrics', contentType: CONTENT_TYPE_OPENMETRICS_001 };
        break;
      case 'text/plain':
        if (version === undefined || version === '0.0.4' || version === '1.0.0') return TEXT;
        break;
      default:
        break;
    }
  }
  return TEXT;
}
