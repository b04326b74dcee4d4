import { defineConfig } from '@playwright/test';

/** The e2e tests run against a production build served by `vite preview` on this port. */
const PORT = 4317;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  // Guards against hangs, not speed targets: a loaded CI machine is several times slower.
  timeout: 60_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  webServer: {
    command: `npx vite build --logLevel warn && npx vite preview --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    headless: true,
    viewport: { width: 1000, height: 640 },
    screenshot: 'only-on-failure',
    trace: 'off',
    // Debian's Chromium; Playwright's own browser download is skipped (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1).
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    },
  },
});
