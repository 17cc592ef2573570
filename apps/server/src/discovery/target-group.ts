// A target group as service discovery produces it: a source id, targets (each a label set
// holding at least __address__) and labels shared by the group.
import type { StaticConfig } from '../config/types.js';

export interface TargetGroup {
  /** Unique per provider, e.g. "0" for static config 0 or "/etc/sd/a.json:1". */
  source: string;
  targets: Record<string, string>[];
  labels: Record<string, string>;
}

export function staticGroups(configs: readonly StaticConfig[]): TargetGroup[] {
  return configs.map((c, i) => ({
    source: String(i),
    targets: c.targets.map((t) => ({ __address__: t })),
    labels: c.labels,
  }));
}
