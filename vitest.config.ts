import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The embedded AWS endpoint (workspace package @harbormaster/local-aws) keeps its own tests.
    include: ['test/**/*.test.ts', 'infra/local-aws/test/**/*.test.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
