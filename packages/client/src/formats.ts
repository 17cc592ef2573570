// Output formats built on @promethium/exposition's serializers.
import type { MetricFamily } from '@promethium/exposition';

export function openMetricsText(_families: MetricFamily[]): string {
  throw new Error('OpenMetrics output needs @promethium/exposition serializers');
}
