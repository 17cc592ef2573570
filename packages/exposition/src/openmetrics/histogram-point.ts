// The structural rules of one (gauge) histogram point: buckets ascending by `le` and cumulative,
// a final +Inf bucket, _count equal to it, _count present iff _sum, no _sum with negative buckets.
import type { ExpositionError } from '../errors.js';
import type { Sample } from '../model.js';
import { parseFloatText } from '../numbers.js';

export class HistogramPoint {
  private lastLe: number | undefined;
  private lastBucket = 0;
  private count: number | undefined;
  private sum = false;
  private negativeSum = false;
  private negativeBuckets = false;

  constructor(
    private readonly name: string,
    private readonly gauge: boolean,
  ) {}

  add(suffix: string, s: Sample, err: (m: string) => ExpositionError): void {
    if (suffix === '_bucket') {
      const leText = s.labels.le!;
      const le = leText === '+Inf' ? Infinity : parseFloatText(leText, 0, leText.length);
      if (le === undefined || (leText !== '+Inf' && !Number.isFinite(le))) {
        throw err(`invalid le "${leText}": expected a number or exactly "+Inf"`);
      }
      if (this.lastLe !== undefined && le <= this.lastLe) throw err(`histogram "${this.name}" buckets are not in increasing order of le`);
      if (s.value < this.lastBucket) throw err(`histogram "${this.name}" bucket counts are not cumulative`);
      if (le < 0) this.negativeBuckets = true;
      this.lastLe = le;
      this.lastBucket = s.value;
    } else if (suffix === '_count' || suffix === '_gcount') {
      this.count = s.value;
    } else if (suffix === '_sum' || suffix === '_gsum') {
      this.sum = true;
      if (s.value < 0) this.negativeSum = true;
    }
  }

  finish(err: (m: string) => ExpositionError): void {
    const c = this.gauge ? '_gcount' : '_count';
    const sum = this.gauge ? '_gsum' : '_sum';
    if (this.lastLe !== Infinity) throw err(`histogram "${this.name}" has no +Inf bucket`);
    if (this.count !== undefined && this.count !== this.lastBucket) throw err(`histogram "${this.name}" ${c} does not equal its +Inf bucket`);
    if (this.sum && this.count === undefined) throw err(`histogram "${this.name}" has ${sum} without ${c}`);
    if (!this.sum && this.count !== undefined) throw err(`histogram "${this.name}" has ${c} without ${sum}`);
    if (!this.gauge && this.negativeBuckets && this.sum) throw err(`histogram "${this.name}" has negative buckets, so it must not have _sum`);
    if (this.gauge && this.negativeSum && !this.negativeBuckets) throw err(`gauge histogram "${this.name}" has a negative _gsum without negative buckets`);
  }
}
