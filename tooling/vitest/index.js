// Shared vitest settings. Tests read workspace packages from source (the "@berth/source" export
// condition), and each run writes a JSON report that .ci/run adds up into one summary line.
import { defineConfig } from 'vitest/config';

const reportDir = process.env.BERTH_TEST_REPORT_DIR;

export default defineConfig({
  ssr: { resolve: { conditions: ['@berth/source'] } },
  resolve: { conditions: ['@berth/source'] },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    passWithNoTests: true,
    hookTimeout: 60_000,
    reporters: reportDir ? ['default', 'json'] : ['default'],
    outputFile: reportDir
      ? {
          json: `${reportDir}/${process.env.npm_package_name?.replace(/[@/]/g, '_') ?? 'pkg'}.json`,
        }
      : undefined,
  },
});
