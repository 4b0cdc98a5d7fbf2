import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import type { TestProject } from 'vitest/node';
// @ts-expect-error: plain ESM script without types
import { serve } from '../scripts/serve.mjs';
import { CHROMIUM, CHROMIUM_FLAGS, OUT, SWIFTSHADER_FLAGS, type SharedRun } from './harness';

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: SharedRun;
  }
}

/**
 * Once per browser-test run: the static server of out/ (plain, and with the site's security headers) and
 * one Chromium that every test file connects to (startHarness), instead of a browser per file.
 */
export default async function setup(project: TestProject) {
  if (!fs.existsSync(path.join(OUT, 'index.html'))) throw new Error('out/ is missing: run `npm run build` first');
  const plain = (await serve({ root: OUT, port: 0, headers: false })) as { server: Server; url: string };
  const secure = (await serve({ root: OUT, port: 0, headers: true })) as { server: Server; url: string };
  const browser = await chromium.launchServer({ executablePath: CHROMIUM, args: [...CHROMIUM_FLAGS, ...SWIFTSHADER_FLAGS] });
  project.provide('e2e', { wsEndpoint: browser.wsEndpoint(), url: plain.url, secureUrl: secure.url });
  return async () => {
    await browser.close();
    for (const s of [plain, secure]) await new Promise((r) => s.server.close(() => r(null)));
  };
}
