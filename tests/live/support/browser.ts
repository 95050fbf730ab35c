// The headless Chromium the browser tests drive (Debian's /usr/bin/chromium through playwright-core, which
// downloads no browser of its own: the dashboard's tests and the report's), with the page helpers they share.
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from './live-process';

export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots go here (git-ignored). */
export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');

/** Flags for a quiet headless browser: no sandbox (tests may run as root), no GPU, no calls home. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface OpenBrowserOptions {
  viewport?: { width: number; height: number };
  /** Flags besides the usual ones, e.g. --autoplay-policy=no-user-gesture-required. */
  args?: string[];
}

/** A browser without a profile (pages of files: the report), the same flags. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** A browser with a fresh profile in a new folder under `tmpDir` (the caller removes tmpDir). */
export function openBrowser(tmpDir: string, options: OpenBrowserOptions = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(path.join(tmpDir, 'chromium-profile-')), {
    executablePath: CHROMIUM,
    args: [...FLAGS, ...(options.args ?? [])],
    viewport: options.viewport ?? { width: 1280, height: 860 },
  });
}

/**
 * Collects the page's uncaught errors and console errors (a test ends by asserting the list is empty);
 * console errors matching `ignore` are expected ones, e.g. refused reconnection attempts.
 */
export function watchPageErrors(page: Page, ignore?: RegExp): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !(ignore && ignore.test(m.text()))) errors.push(m.text());
  });
  return errors;
}

/** The trimmed text of the one element matching `selector` (more than one is an error: a test's mistake). */
export async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).textContent()) ?? '').trim();
}

/** Path of a screenshot named `name` in ARTIFACTS (the folder is created). */
export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}
