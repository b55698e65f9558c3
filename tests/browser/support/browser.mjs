// Browser helpers for the end-to-end tests: Debian Chromium through playwright-core (no downloaded
// browser), and small waits on the demo page's DOM. Every wait has an explicit timeout; nothing sleeps.
import { chromium } from 'playwright-core';
import { startDemo } from './demo-server.mjs';

/** Upper bound of any single wait in these tests. */
export const TIMEOUT = 15_000;

export const chromiumPath = process.env.SWITCHBOARD_CHROMIUM || '/usr/bin/chromium';

export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30_000
  });
}

/**
 * One demo process and one Chromium for a test file: call from `before`, then `env.close()` from `after`.
 * Pages opened through `env.newContext()` record their console errors and uncaught exceptions in
 * `env.pageErrors` (see withDiagnostics). `demoArgs`: extra command-line settings of the demo process.
 */
export async function startEnvironment({ demoArgs = [] } = {}) {
  const env = { demo: null, browser: null, pageErrors: [] };
  try {
    env.demo = await startDemo({ args: demoArgs });
    env.browser = await launchBrowser();
  } catch (err) {
    await closeEnvironment(env);
    throw err;
  }
  env.baseUrl = env.demo.baseUrl;
  env.newContext = async () => {
    const context = await env.browser.newContext({ baseURL: env.baseUrl });
    context.setDefaultTimeout(TIMEOUT);
    context.on('page', (page) => watchPage(page, env.pageErrors));
    return context;
  };
  env.close = () => closeEnvironment(env);
  return env;
}

async function closeEnvironment(env) {
  const errors = [];
  if (env.browser) await env.browser.close().catch((err) => errors.push(err));
  if (env.demo) await env.demo.stop().catch((err) => errors.push(err));
  if (errors.length) throw errors[0];
}

function watchPage(page, sink) {
  const where = () => { try { return page.url(); } catch { return '?'; } };
  page.on('pageerror', (err) => sink.push(`${where()}: uncaught ${err.message}`));
  page.on('console', (msg) => { if (msg.type() === 'error') sink.push(`${where()}: console.error ${msg.text()}`); });
}

/** Opens `path` in a new page of `context` and waits until the demo page says its WebSocket is connected. */
export async function openConnected(context, path) {
  const page = await context.newPage();
  await page.goto(path, { timeout: TIMEOUT });
  await waitConnected(page);
  return page;
}

export async function waitConnected(page) {
  await waitForText(page, '#status', 'connected');
}

/**
 * Waits until the element's whole text is `text`. Polls on a timer rather than on animation frames,
 * which a tab that is not in front may not get.
 */
export async function waitForText(page, selector, text, timeout = TIMEOUT) {
  await page.waitForFunction(([sel, expected]) => document.querySelector(sel)?.textContent === expected,
    [selector, text], { timeout, polling: 50 });
}

/** The texts of the items of a demo list (`#echo-log`, `#chat-log`...). */
export function items(page, listSelector) {
  return page.locator(`${listSelector} li`).allTextContents();
}

/** Waits until the list has an item whose whole text is `text`. */
export async function waitForItem(page, listSelector, text, timeout = TIMEOUT) {
  await page.locator(listSelector).locator('li').filter({ hasText: exactText(text) }).first().waitFor({ state: 'attached', timeout });
}

function exactText(text) {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * Clicks in a page after bringing its tab to the front. Chromium's new headless mode (Debian's build)
 * throttles the frames of a tab that is not in front, and Playwright's actionability checks then take
 * about 2 s per click in the other tabs of a context.
 */
export async function click(page, selector) {
  await page.bringToFront();
  await page.click(selector, { timeout: TIMEOUT });
}

/** Types `text` into #echo-text, clicks Echo and waits for the echo in #echo-log: one full round trip. */
export async function echoRoundTrip(page, text) {
  await page.fill('#echo-text', text);
  await click(page, '#echo-btn');
  await waitForItem(page, '#echo-log', text);
}

/**
 * The topic key of the demo's chat room `name` with the default serializer: a record (Switchboard.Demo.ChatRoom), so its
 * type and canonical JSON. Written out here, so the expected format is pinned in one place for the browser tests.
 */
export function demoRoomKey(name) {
  return `-obj.Switchboard.Demo.ChatRoom{"Name":${JSON.stringify(name)}}`;
}

let counter = 0;
/** A text no other test or run uses, so a stray message can never be mistaken for the expected one. */
export function unique(prefix) {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Wraps a test body: fails it when a page reported an uncaught exception or a console error, and adds
 * those and the end of the demo's log to a failure, so a red run says what went wrong. `getEnv` returns
 * the file's environment (started in `before`).
 */
export function withDiagnostics(getEnv, fn) {
  return async (t) => {
    const env = getEnv();
    if (!env) throw new Error('The test environment did not start (see the `before` hook failure).');
    const errorsBefore = env.pageErrors.length;
    try {
      await fn(t);
      const pageErrors = env.pageErrors.slice(errorsBefore);
      if (pageErrors.length) throw new Error(`The pages reported errors:\n${pageErrors.join('\n')}`);
    } catch (err) {
      const pageErrors = env.pageErrors.slice(errorsBefore);
      const demoLog = env.demo ? env.demo.log().split('\n').slice(-40).join('\n') : '(no demo)';
      if (err && typeof err.message === 'string') {
        err.message += `\n--- page errors during this test ---\n${pageErrors.join('\n') || '(none)'}` +
          `\n--- demo output (last 40 lines) ---\n${demoLog}`;
      }
      throw err;
    }
  };
}

/** Closes the given browser contexts when the test ends (passed or failed). */
export function closeAfter(t, ...contexts) {
  t.after(() => Promise.all(contexts.map((c) => c.close().catch(() => {}))));
  return contexts;
}
