import { defineConfig } from 'vitest/config';

const browserTests = 'test/web/browser/**/*.test.ts';

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          // test/web/**/*.test.tsx: web components, jsdom per file (`@vitest-environment jsdom`).
          include: ['test/**/*.test.ts', 'test/web/**/*.test.tsx'],
          exclude: [browserTests],
        },
      },
      {
        extends: true,
        test: {
          // Chromium and the whole stack share the machine's cores: one file at a time, once
          // everything else is done, so that the page's video encoder is not starved of CPU
          // (a starved encoder drops frames, and the face check then has less to judge).
          name: 'browser',
          include: [browserTests],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
