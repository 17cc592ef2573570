import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

export default mergeConfig(sharedConfig, {
  test: {
    // Browser tests start real Prometheus, node_exporter and Chromium: one file at a time keeps the 2 cores usable.
    fileParallelism: false,
  },
});
