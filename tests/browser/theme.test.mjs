// End-to-end: a window extension (docs/choices.md, WindowInfo extensions). The demo records the theme a page was
// rendered with (?theme=dark) in its WindowInfo; demo.theme, run by a worker, reads it and notifies the window.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEnvironment, click, openConnected, withDiagnostics, closeAfter } from './support/browser.mjs';

let env;
before(async () => { env = await startEnvironment(); });
after(async () => { if (env) await env.close(); });

for (const [path, theme] of [['/?theme=dark', 'dark'], ['/', 'light']]) {
  test(`a handler reads the theme the page ${path} was rendered with`, withDiagnostics(() => env, async (t) => {
    const [context] = closeAfter(t, await env.newContext());
    const page = await openConnected(context, path);

    await click(page, '#theme-btn');
    const toast = page.locator('.df-notification', { hasText: 'demo.theme' });
    await toast.waitFor();
    assert.equal(await toast.locator('.df-notification-content').textContent(), `This page was rendered with the ${theme} theme.`);
  }));
}
