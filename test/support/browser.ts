/**
 * A real headless browser for the console's e2e tests: Debian's `chromium` (installed by `make chromium`) driven by
 * playwright-core, never a browser download. The machine's closed network refuses Chromium's background
 * connections, so they are switched off, and every run gets an empty profile.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createScratchDir, type ScratchDir } from './scratch.ts';

/** Where Debian's package puts the browser; `CHROMIUM_BIN` overrides it. */
export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A browser with one page, and its profile directory. */
export interface TestBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/** Starts Chromium with an empty profile and opens a page of `width`×`height`. */
export async function startBrowser(width = 1280, height = 900): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: run \`make chromium\` (Debian's chromium package) or set CHROMIUM_BIN`,
    );
  }
  const profile: ScratchDir = await createScratchDir('chromium');
  const userDataDir = `${profile.path}/profile`;
  await mkdir(userDataDir);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width, height },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      await profile.remove();
    },
  };
}
