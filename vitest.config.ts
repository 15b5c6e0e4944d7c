import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // test/web/**/*.test.tsx: web components, jsdom per file (`@vitest-environment jsdom`).
    include: ['test/**/*.test.ts', 'test/web/**/*.test.tsx'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
