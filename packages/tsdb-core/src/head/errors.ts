// Append errors with Prometheus' messages (storage/interface.go), so API responses and logs
// read the same. `kind` lets callers count them without comparing strings.
import type { Labels } from '../labels.js';

export type AppendErrorKind = 'out_of_order' | 'duplicate' | 'out_of_bounds' | 'invalid';

export class AppendError extends Error {
  readonly kind: AppendErrorKind;
  readonly labels: Labels | undefined;
  readonly timestamp: number;

  constructor(kind: AppendErrorKind, message: string, labels: Labels | undefined, t: number) {
    super(message);
    this.name = 'AppendError';
    this.kind = kind;
    this.labels = labels;
    this.timestamp = t;
  }
}

export const ERR_OUT_OF_ORDER_SAMPLE = 'out of order sample';
export const ERR_DUPLICATE_SAMPLE = 'duplicate sample for timestamp';
export const ERR_OUT_OF_BOUNDS = 'out of bounds';
