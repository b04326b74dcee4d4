import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      // Timeouts are guards against hangs, not speed targets: a loaded CI machine runs the big
      // property tests several times slower than a laptop.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 60_000 } },
      {
        test: {
          name: 'compat',
          include: ['test/compat/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
