import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';

/** Debian's Chromium (Playwright's own download cannot be fetched): CHROMIUM_PATH to move it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * `describe` for the browser tests of `what`: they run where Chromium is, and say plainly
 * that they were skipped, and why, where it is not.
 */
export function describeInBrowser(what: string): jest.Describe {
  if (existsSync(CHROMIUM)) return describe;
  console.warn(
    `${CHROMIUM} not found: skipping the browser tests of ${what}. Install Chromium (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.`,
  );
  return describe.skip;
}

/** Chromium headless, as root too, with nothing reaching out to the network on its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}
