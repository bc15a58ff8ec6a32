import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        // Pure code and in-memory doubles: one module graph per worker, not one per file (the
        // imports were 70 % of these files' time).
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/property/**/*.test.ts'],
          isolate: false,
        },
      },
      {
        // Local stacks, child processes, the packaged template, and the embedded AWS endpoint's
        // own tests (workspace package @harbormaster/local-aws): each file in a fresh process.
        extends: true,
        test: {
          name: 'e2e',
          include: [
            'test/e2e/**/*.test.ts',
            'test/infra/**/*.test.ts',
            'infra/local-aws/test/**/*.test.ts',
          ],
        },
      },
    ],
  },
});
