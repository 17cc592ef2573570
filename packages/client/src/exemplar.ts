// An OpenMetrics exemplar attached to a counter series or a histogram bucket.

export class Exemplar {
  labelSet: Record<string, string | number>;
  value: number | null;
  timestamp: number | undefined;

  constructor(labelSet: Record<string, string | number> = {}, value: number | null = null) {
    this.labelSet = labelSet;
    this.value = value;
    this.timestamp = undefined;
  }

  /** OpenMetrics caps an exemplar's label names plus values at 128 UTF-8 characters. */
  validateExemplarLabelSet(labelSet: Record<string, string | number>): void {
    let len = 0;
    for (const name in labelSet) len += utf8Chars(name) + utf8Chars(String(labelSet[name]));
    if (len > 128) throw new RangeError('Label set size must be smaller than 128 UTF-8 chars');
  }
}

/** Code points, which is what the OpenMetrics limit counts. */
function utf8Chars(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/** Records an exemplar in place, reusing the object when the series already has one. */
export function recordExemplar(
  current: Exemplar | undefined,
  labels: Record<string, string | number>,
  value: number,
): Exemplar {
  const ex = current ?? new Exemplar();
  ex.validateExemplarLabelSet(labels);
  ex.labelSet = labels;
  ex.value = value;
  ex.timestamp = Date.now() / 1000;
  return ex;
}
