// Shared vitest settings: every package's vitest.config.ts merges these.
import { defineConfig } from 'vitest/config';

export const sharedConfig = defineConfig({
  ssr: {
    // Resolve workspace packages to their TypeScript sources (no build needed).
    resolve: { conditions: ['@promethium/source'] },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // CI sums these reports; suites that run a subset point PROMETHIUM_VITEST_JSON elsewhere.
    reporters: ['default', ['json', { outputFile: process.env.PROMETHIUM_VITEST_JSON ?? 'test-results/vitest.json' }]],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/**/*.d.ts'],
      reporter: ['text-summary', 'text', 'json-summary'],
      reportsDirectory: 'coverage',
    },
  },
});
