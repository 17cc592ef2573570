// Name rules of the Prometheus data model (legacy character set, as prom-client checks them).
import { inspect } from 'node:util';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function validateMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

export function validateLabelName(names: readonly string[] = []): boolean {
  return names.every((n) => LABEL_NAME.test(n));
}

/** Throws prom-client's error when `labels` carries a name the metric was not declared with. */
export function validateLabel(declared: readonly string[], labels: object): void {
  for (const name in labels) {
    if (!declared.includes(name)) throw unknownLabel(name, declared);
  }
}

export function unknownLabel(name: string, declared: readonly string[]): Error {
  return new Error(`Added label "${name}" is not included in initial labelset: ${inspect(declared)}`);
}
