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
    // These machines run Node 20 (Lambda runs 22): the SDK's upgrade notice would repeat in every worker's output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
