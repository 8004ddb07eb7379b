import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts', 'functions/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // DynamoDB Local is one JVM shared by every file; two workers keep it busy without starving it on 2 cores.
    maxWorkers: 2,
    allowOnly: false,
  },
});
