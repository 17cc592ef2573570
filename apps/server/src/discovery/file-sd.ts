// file_sd_configs: reads JSON or YAML target group files (globs in the file name only), watches
// their directories and re-reads every refresh_interval. A file that fails to parse keeps its
// previous targets and logs the error with the file and line, as Prometheus does.
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FileSdConfig } from '../config/types.js';
import { ConfigError, parseYaml } from '../config/yaml-walk.js';
import type { YamlValue } from '../config/yaml-walk.js';
import type { Logger } from '../log/logger.js';
import type { TargetGroup } from './target-group.js';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Parses one SD file's content (JSON is YAML). Throws ConfigError naming the file and line. */
export function parseTargetGroupFile(text: string, file: string): TargetGroup[] {
  const root = parseYaml(text, file);
  return root.seq().map((item: YamlValue, i) => {
    const m = item.map('targetgroup.Group', ['targets', 'labels']);
    const targets = m.get('targets').seq().map((t) => ({ __address__: t.str() }));
    const labels = m.opt('labels', {}, (x) => x.stringMap());
    for (const name of Object.keys(labels)) {
      if (!LABEL_NAME.test(name)) m.get('labels').fail(`"${name}" is not a valid label name`);
    }
    return { source: `${file}:${i}`, targets, labels: { ...labels, __meta_filepath: file } };
  });
}

function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
}

export class FileDiscovery {
  private readonly byFile = new Map<string, TargetGroup[]>();
  private readonly watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private stopped = false;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly cfg: FileSdConfig,
    private readonly logger: Logger,
    private readonly onUpdate: (groups: TargetGroup[]) => void,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    for (const dir of new Set(this.cfg.files.map((f) => dirname(f)))) {
      try {
        const w = watch(dir, () => this.scheduleRefresh());
        w.on('error', (e) => this.logger.warn('File SD watch failed; relying on refresh_interval', { dir, err: e }));
        this.watchers.push(w);
      } catch (e) {
        this.logger.warn('Cannot watch directory; relying on refresh_interval', { dir, err: e as Error });
      }
    }
    this.timer = setInterval(() => this.scheduleRefresh(), this.cfg.refresh_interval);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    for (const w of this.watchers) w.close();
  }

  private scheduleRefresh(): void {
    if (this.stopped) return;
    clearTimeout(this.debounce);
    // Editors write files in several steps; read once they settle.
    this.debounce = setTimeout(() => void this.refresh(), 50);
  }

  /** Re-reads every matching file and publishes the union of their groups. */
  async refresh(): Promise<void> {
    if (this.refreshing) await this.refreshing;
    this.refreshing = this.doRefresh();
    await this.refreshing;
    this.refreshing = undefined;
  }

  private async doRefresh(): Promise<void> {
    const files = new Set<string>();
    for (const pattern of this.cfg.files) {
      const dir = dirname(pattern);
      const re = globToRegExp(basename(pattern));
      try {
        for (const name of await readdir(dir)) if (re.test(name)) files.add(join(dir, name));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.logger.error('Error listing file SD directory', { dir, err: e as Error });
      }
    }
    for (const f of [...this.byFile.keys()]) if (!files.has(f)) this.byFile.delete(f);
    for (const f of files) {
      try {
        this.byFile.set(f, parseTargetGroupFile(await readFile(f, 'utf8'), f));
      } catch (e) {
        const msg = e instanceof ConfigError ? e.message : `${f}: ${(e as Error).message}`;
        this.logger.error('Error reading file SD file; keeping its previous targets', { file: f, err: msg });
      }
    }
    if (!this.stopped) this.onUpdate([...this.byFile.values()].flat());
  }
}
