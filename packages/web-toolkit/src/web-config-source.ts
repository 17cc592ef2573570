// Keeps the current web config, re-reading the file whenever it changes (checked by a
// cheap stat per request), so credentials and certificates rotate without a restart.
// A broken file on reload keeps the last good config and is logged once per change.
import { statSync } from 'node:fs';
import { ConfigError, loadWebConfig, type WebConfig } from './web-config.js';

export type WebLogger = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, string>) => void;

export class WebConfigSource {
  private current: WebConfig | undefined;
  private stamp = '';
  private failedStamp = '';

  /** Loads the file now: a bad file at start is an error the caller reports and exits on. */
  constructor(
    readonly file: string | undefined,
    private readonly log: WebLogger = () => {},
  ) {
    if (file) {
      this.current = loadWebConfig(file);
      this.stamp = this.statStamp();
    }
  }

  private statStamp(): string {
    try {
      const s = statSync(this.file!);
      return `${s.mtimeMs}:${s.size}:${s.ino}`;
    } catch {
      return 'missing';
    }
  }

  /** The config in force, reloaded if the file changed. Undefined when no file is configured. */
  get(): WebConfig | undefined {
    if (!this.file) return undefined;
    const stamp = this.statStamp();
    if (stamp !== this.stamp && stamp !== this.failedStamp) {
      try {
        this.current = loadWebConfig(this.file);
        this.stamp = stamp;
        this.log('info', 'Reloaded web config file', { file: this.file });
      } catch (e) {
        this.failedStamp = stamp;
        const reason = e instanceof ConfigError ? e.message : String(e);
        this.log('error', 'Bad web config file on reload, keeping the previous one', { file: this.file, err: reason });
      }
    }
    return this.current;
  }
}
