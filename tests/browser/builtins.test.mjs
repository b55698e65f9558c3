// End-to-end: the built-in browser signals on the demo's /builtins page. Every built-in is run twice, from C#
// (the page calls demo.builtins.run, whose handler uses the typed shortcut) and with df.call in the page, and
// its DOM effect is checked. Then DOMContentAdded, the data-df-signal bindings, df.notify's styles and levels,
// the modal, and a Razor component rendered with the window's user and culture.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TIMEOUT, startEnvironment, openConnected, items, withDiagnostics, closeAfter } from './support/browser.mjs';

let env;
before(async () => { env = await startEnvironment(); });
after(async () => { if (env) await env.close(); });

/** A fresh window on /builtins (a new browser context unless one is given). */
async function builtinsPage(t, { context, contextOptions } = {}) {
  if (!context) {
    context = contextOptions
      ? await env.browser.newContext({ baseURL: env.baseUrl, ...contextOptions })
      : await env.newContext();
    context.setDefaultTimeout(TIMEOUT);
    closeAfter(t, context);
  }
  const page = await openConnected(context, '/builtins');
  return page;
}

const waitFor = (page, fn, arg) => page.waitForFunction(fn, arg, { timeout: TIMEOUT });
const serverRun = (page, builtin, args) => page.evaluate(([b, a]) => df.call('demo.builtins.run', { builtin: b, args: a }), [builtin, args]);
const echoes = async (page) => (await items(page, '#echo-log')).map((s) => JSON.parse(s));
async function waitForEcho(page, via) {
  await waitFor(page, (v) => [...document.querySelectorAll('#echo-log li')].some((li) => JSON.parse(li.textContent).via === v), via);
  return (await echoes(page)).filter((e) => e.via === via);
}
const added = (page) => items(page, '#added-log');
const visible = (id) => {
  const el = document.getElementById(id);
  return getComputedStyle(el).display !== 'none' && el.getAnimations().length === 0;
};
const hidden = (id) => getComputedStyle(document.getElementById(id)).display === 'none';

/** For each built-in: what the control does (click), then how to tell it worked. */
const EFFECTS = {
  'html.after': async (page) => {
    await waitFor(page, () => document.getElementById('after-target').nextElementSibling?.id === 'after-new');
    assert.ok((await added(page)).includes('after-new'));
  },
  'html.append': async (page) => {
    await waitFor(page, () => document.getElementById('list').lastElementChild.id === 'append-new');
    assert.deepEqual(await page.$$eval('#list li', (lis) => lis.map((li) => li.id)), ['list-first', 'append-new']);
    assert.deepEqual(await added(page), ['append-new']);
  },
  'html.prepend': async (page) => {
    await waitFor(page, () => document.getElementById('list').firstElementChild.id === 'prepend-new');
    assert.deepEqual(await added(page), ['prepend-new']);
  },
  'html.before': async (page) => {
    await waitFor(page, () => document.getElementById('before-target').previousElementSibling?.id === 'before-new');
    assert.deepEqual(await added(page), ['before-new']);
  },
  'html.content': async (page) => {
    await waitFor(page, () => document.getElementById('content-target').innerHTML === '<em id="content-new">new content</em>');
    assert.deepEqual(await added(page), ['content-new']);
  },
  'html.replace_with': async (page) => {
    await waitFor(page, () => !document.getElementById('replace-target') && document.getElementById('replaced'));
    assert.deepEqual(await added(page), ['replaced']);
  },
  'html.empty': (page) => waitFor(page, () => document.getElementById('empty-target').childNodes.length === 0),
  'html.remove': (page) => waitFor(page, () => !document.getElementById('remove-target')),
  'html.add_class': (page) => waitFor(page, () => document.getElementById('class-target').className === 'target initial highlight'),
  'html.remove_class': (page) => waitFor(page, () => document.getElementById('class-target').className === 'target'),
  'html.remove_attr': (page) => waitFor(page, () => !document.getElementById('attr-target').hasAttribute('title')),
  'html.add_attribute': (page) => waitFor(page, () => document.getElementById('attr-target').getAttribute('data-state') === 'set <by> signal'),
  'html.boolean_attribute': (page) => waitFor(page, () => document.getElementById('bool-target').getAttribute('disabled') === 'disabled'),
  'html.text': async (page) => {
    await waitFor(page, () => document.getElementById('text-target').textContent === '<b>not bold</b>');
    assert.equal(await page.$$eval('#text-target *', (els) => els.length), 0);
  },
  'html.download_file': null, // needs the download event armed before the click: see runBuiltin
  'html.focus': (page) => waitFor(page, () => document.activeElement?.id === 'focus-target'),
  'html.forms.set': async (page) => {
    await waitFor(page, () => document.querySelector('#set-form textarea').value === 'set by signal');
    const form = await page.$eval('#set-form', (f) => ({
      color: f.elements.color.value,
      tags: [...f.querySelectorAll('[name=tags]')].filter((c) => c.checked).map((c) => c.value),
      agree: f.elements.agree.checked,
      size: f.elements.size.value
    }));
    assert.deepEqual(form, { color: 'blue', tags: ['a', 'c'], agree: true, size: 'L' });
  },
  'html.fade_in': (page) => waitFor(page, visible, 'fade-in-target'),
  'html.fade_out': (page) => waitFor(page, hidden, 'fade-out-target'),
  'html.fade_to': async (page) => {
    await waitFor(page, () => getComputedStyle(document.getElementById('fade-to-target')).opacity === '0.3');
    assert.equal(await page.$eval('#fade-to-target', (el) => getComputedStyle(el).display), 'block');
  },
  'html.fade_toggle': (page) => waitFor(page, hidden, 'fade-toggle-target'),
  'html.hide': (page) => waitFor(page, hidden, 'hide-target'),
  'html.show': (page) => waitFor(page, visible, 'show-target'),
  'html.toggle': (page) => waitFor(page, hidden, 'toggle-target'),
  'html.trigger': (page) => waitFor(page, () => document.getElementById('trigger-log').textContent === 'clicked '),
  'html.val': (page) => waitFor(page, () => document.getElementById('val-target').value === 'new value'),
  'df.notify': async (page) => {
    const toast = page.locator('.df-notifications .df-notification.df-level-success');
    await toast.waitFor({ timeout: TIMEOUT });
    assert.equal(await toast.locator('.df-notification-title').textContent(), 'Notify');
    assert.equal(await toast.locator('.df-notification-content').textContent(), 'Hello from df.notify');
    assert.equal(await toast.getAttribute('role'), 'status');
  },
  'df.modal.show': async (page) => {
    await waitFor(page, () => document.getElementById('df-modal')?.open === true && document.getElementById('modal-body'));
    const modal = await page.$eval('#df-modal', (d) => ({ width: d.style.width, label: d.getAttribute('aria-labelledby'), html: d.querySelector('#modal-body').innerHTML }));
    assert.deepEqual(modal, { width: '30rem', label: 'modal-heading', html: 'Modal body <b>HTML</b>' });
    assert.deepEqual(await added(page), ['modal-heading', 'modal-body', 'modal-echo']);
  },
  'df.modal.hide': async (page) => {
    await waitFor(page, () => document.getElementById('df-modal')?.open === false);
    assert.deepEqual(await waitForEcho(page, 'modal hidden'), [{ via: 'modal hidden' }]); // the onhide signal, through the server
  }
};

async function runBuiltin(page, builtin, mode) {
  const button = page.locator(`#controls button.${mode === 'C#' ? 'run' : 'local'}[data-builtin="${builtin}"]`);
  if (builtin === 'df.modal.hide') {
    // something to hide first; the modal is modal: its own hide comes from the page's code, as a signal would
    await page.locator(`#controls button.${mode === 'C#' ? 'run' : 'local'}[data-builtin="df.modal.show"]`).click();
    await waitFor(page, () => document.getElementById('df-modal')?.open === true);
    if (mode === 'C#') await serverRun(page, 'df.modal.hide', {});
    else await page.evaluate(() => df.call('df.modal.hide', {}));
    return;
  }
  if (builtin === 'html.download_file') {
    const download = page.waitForEvent('download', { timeout: TIMEOUT });
    await button.click();
    const file = await download;
    assert.equal(file.suggestedFilename(), 'sample.txt');
    assert.match(file.url(), /\/builtins\/sample\.txt$/);
    return;
  }
  await button.click();
}

for (const mode of ['C#', 'df.call']) {
  for (const builtin of Object.keys(EFFECTS)) {
    test(`${builtin} from ${mode === 'C#' ? 'C# (typed shortcut)' : 'df.call in the page'}`, withDiagnostics(() => env, async (t) => {
      const page = await builtinsPage(t);
      await runBuiltin(page, builtin, mode);
      if (EFFECTS[builtin]) await EFFECTS[builtin](page);
      assert.deepEqual(await items(page, '#errors'), []);
    }));
  }
}

test('the page lists every built-in the client knows, and the served script registers them all', withDiagnostics(() => env, async (t) => {
  const page = await builtinsPage(t);
  const listed = await page.$$eval('#controls button.run', (bs) => bs.map((b) => b.dataset.builtin));
  const known = await page.evaluate(() => [...Switchboard.protocol.builtinSignals]);
  assert.deepEqual(listed, known);
  assert.deepEqual(Object.keys(EFFECTS).sort(), [...known].sort());
  const viaModule = await page.evaluate(async () => {
    const m = await import('/switchboard/df.mjs');
    return m.df === window.df && m.registerBuiltins === Switchboard.registerBuiltins && typeof m.registerBuiltins === 'function';
  });
  assert.equal(viaModule, true);
  // one registration per built-in on the page's df: removing one removes exactly one handler
  assert.deepEqual(await page.evaluate((names) => names.map((n) => df.disconnect(n)), known), known.map(() => 1));
}));

test('DOMContentAdded: inserted content bubbles the event and its data-df-signal bindings work', withDiagnostics(() => env, async (t) => {
  const page = await builtinsPage(t);
  await page.evaluate(() => {
    window.seen = [];
    document.addEventListener('DOMContentAdded', (e) => window.seen.push([e.target.id, e.bubbles]));
  });
  await serverRun(page, 'html.append', {
    selector: '#list',
    content: '<li id="dyn-li"><button type="button" id="dyn" data-df-signal=\'[{"name":"demo.builtins.echo","opts":{"via":"dynamic"}}]\'>dyn</button></li>'
  });
  await page.locator('#dyn').click();
  assert.deepEqual(await waitForEcho(page, 'dynamic'), [{ via: 'dynamic' }]);
  assert.deepEqual(await page.evaluate(() => window.seen), [['dyn-li', true]]);
  // the modal's content too
  await page.locator('#controls button.run[data-builtin="df.modal.show"]').click();
  await page.locator('#modal-echo').click();
  assert.deepEqual(await waitForEcho(page, 'modal button'), [{ via: 'modal button' }]);
  // a second click on the same button sends the same opts: nothing leaks from one event into the next
  await page.locator('#modal-echo').click();
  await waitFor(page, () => [...document.querySelectorAll('#echo-log li')].filter((li) => li.textContent.includes('modal button')).length === 2);
  assert.deepEqual((await echoes(page)).filter((e) => e.via === 'modal button'), [{ via: 'modal button' }, { via: 'modal button' }]);
}));

test('form bindings: submit sends the serialized form (checkboxes, multi-select, file names) without navigating', withDiagnostics(() => env, async (t) => {
  const page = await builtinsPage(t);
  await page.fill('#bind-form [name=title]', 'My title');
  await page.setInputFiles('#bind-form [name=upload]', [
    { name: 'first.txt', mimeType: 'text/plain', buffer: Buffer.from('1') },
    { name: 'second.csv', mimeType: 'text/csv', buffer: Buffer.from('2') }
  ]);
  await page.locator('#bind-form [name=flags][value=y]').check();
  const url = page.url();
  await page.click('#bind-submit');
  const [echo] = await waitForEcho(page, 'submit');
  assert.deepEqual(echo, {
    via: 'submit',
    form: [
      { name: 'title', value: 'My title' }, { name: 'flags', value: 'x' }, { name: 'flags', value: 'y' },
      { name: 'choices', value: '1' }, { name: 'choices', value: '3' },
      { name: 'upload', value: 'first.txt' }, { name: 'upload', value: 'second.csv' }
    ]
  });
  assert.equal(page.url(), url);
}));

test('form bindings: change on an input, click on a button, file input and multi-select values', withDiagnostics(() => env, async (t) => {
  const page = await builtinsPage(t);
  await page.fill('#bind-change', 'typed text');
  await page.locator('#bind-change').press('Tab');
  assert.deepEqual(await waitForEcho(page, 'change'), [{ via: 'change', value: 'typed text' }]);

  await page.click('#bind-click');
  await page.click('#bind-click');
  await waitFor(page, () => [...document.querySelectorAll('#echo-log li')].filter((li) => li.textContent.includes('"click"')).length === 2);
  assert.deepEqual((await echoes(page)).filter((e) => e.via === 'click'), [{ via: 'click', n: 1 }, { via: 'click', n: 1 }]);

  await page.setInputFiles('#bind-file', [
    { name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('a') },
    { name: 'b.png', mimeType: 'image/png', buffer: Buffer.from('b') }
  ]);
  assert.deepEqual(await waitForEcho(page, 'file'), [{ via: 'file', files: ['a.txt', 'b.png'] }]);

  await page.selectOption('#bind-multi', ['a', 'c']);
  assert.deepEqual(await waitForEcho(page, 'multi'), [{ via: 'multi', values: ['a', 'c'] }]);
  assert.deepEqual(await items(page, '#errors'), []);
}));

test('df.notify levels: each one has its class and role; content and title stay text', withDiagnostics(() => env, async (t) => {
  const page = await builtinsPage(t);
  const levels = ['default', 'info', 'success', 'danger', 'warning'];
  for (const level of levels) {
    await serverRun(page, 'df.notify', { content: `<img src=x onerror="window.pwned=1"> ${level}`, title: `<i>${level}</i>`, level, timeout: 0 });
  }
  await waitFor(page, (n) => document.querySelectorAll('.df-notification').length === n, levels.length);
  const toasts = await page.$$eval('.df-notification', (ts) => ts.map((t) => [t.className, t.getAttribute('role'),
    t.querySelector('.df-notification-title').textContent, t.querySelector('.df-notification-content').textContent]));
  assert.deepEqual(toasts, levels.map((l) => [`df-notification df-level-${l}`, l === 'danger' || l === 'warning' ? 'alert' : 'status',
    `<i>${l}</i>`, `<img src=x onerror="window.pwned=1"> ${l}`]));
  assert.equal(await page.$$eval('.df-notifications img, .df-notifications i', (els) => els.length), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  // distinct colours for distinct levels, from the built-in stylesheet
  const colours = await page.$$eval('.df-notification', (ts) => ts.map((t) => getComputedStyle(t).borderLeftColor));
  assert.equal(new Set(colours).size, levels.length);
  // the close button and a click dismiss; a timeout removes
  await page.locator('.df-notification.df-level-default .df-close').click();
  await page.locator('.df-notification.df-level-info').click();
  await serverRun(page, 'df.notify', { content: 'short', timeout: 300 });
  await waitFor(page, () => [...document.querySelectorAll('.df-notification')].some((t) => t.textContent.includes('short')));
  await waitFor(page, () => ![...document.querySelectorAll('.df-notification')].some((t) => t.textContent.includes('short')));
  assert.equal(await page.locator('.df-notification').count(), 3);
}));

test('df.notify styles: banner at the top of the page, modal, notification', withDiagnostics(() => env, async (t) => {
  const page = await builtinsPage(t);
  await serverRun(page, 'df.notify', { content: 'banner one', style: 'banner', level: 'warning', timeout: 0 });
  await serverRun(page, 'df.notify', { content: 'banner two', style: 'banner', level: 'info', timeout: 0 });
  await waitFor(page, () => document.querySelectorAll('.df-banners .df-banner').length === 2);
  const banners = await page.evaluate(() => ({
    first: document.body.firstElementChild.className,
    texts: [...document.querySelectorAll('.df-banner .df-notification-content')].map((e) => e.textContent)
  }));
  assert.deepEqual(banners, { first: 'df-banners', texts: ['banner two', 'banner one'] });

  await serverRun(page, 'df.notify', { content: 'in a modal', title: 'Modal notice', style: 'modal', level: 'danger', timeout: 0 });
  await waitFor(page, () => document.getElementById('df-modal')?.open === true);
  assert.deepEqual(await page.$eval('#df-modal', (d) => [d.querySelector('h2').textContent, d.querySelector('.df-notification-content').textContent,
    d.querySelector('.df-notification-modal').className]), ['Modal notice', 'in a modal', 'df-notification-modal df-level-danger']);
  await page.keyboard.press('Escape');
  await waitFor(page, () => document.getElementById('df-modal').open === false);

  await serverRun(page, 'df.notify', { content: 'a modal that goes', style: 'modal', timeout: 300 });
  await waitFor(page, () => document.getElementById('df-modal').open === true);
  await waitFor(page, () => document.getElementById('df-modal').open === false);
}));

test('df.notify style system: the Notification API when granted, a toast when refused', withDiagnostics(() => env, async (t) => {
  const context = await env.browser.newContext({ baseURL: env.baseUrl });
  context.setDefaultTimeout(TIMEOUT);
  closeAfter(t, context);
  // Record what the page asks of the Notification API (headless Chromium shows nothing).
  await context.addInitScript(() => {
    window.shown = [];
    const permission = new URL(location.href).hash === '#denied' ? 'denied' : 'granted';
    window.Notification = class {
      constructor(title, options) { window.shown.push({ title, body: options.body, tag: options.tag }); }
      close() { window.shown.push('closed'); }
      static get permission() { return permission; }
      static requestPermission() { return Promise.resolve(permission); }
    };
  });
  const page = await context.newPage();
  await page.goto('/builtins');
  await waitFor(page, () => document.getElementById('status').textContent === 'connected');
  await serverRun(page, 'df.notify', { content: 'system body', title: 'System title', style: 'system', timeout: 200 });
  await waitFor(page, () => window.shown.includes('closed'));
  const shown = await page.evaluate(() => window.shown);
  assert.equal(shown[0].title, 'System title');
  assert.equal(shown[0].body, 'system body');
  assert.match(shown[0].tag, /^df-\d+$/);
  assert.equal(await page.locator('.df-notification').count(), 0);

  await page.goto('/builtins#denied');
  await page.reload();
  await waitFor(page, () => document.getElementById('status').textContent === 'connected');
  await serverRun(page, 'df.notify', { content: 'fallback body', style: 'system', level: 'warning', timeout: 0 });
  await page.locator('.df-notification.df-level-warning').waitFor({ timeout: TIMEOUT });
  assert.equal(await page.locator('.df-notification .df-notification-content').textContent(), 'fallback body');
  assert.deepEqual(await page.evaluate(() => window.shown), []);
}));

test('modal: focus moves in and back, Escape, the close button and a backdrop click close it, onhide runs once each', withDiagnostics(() => env, async (t) => {
  const page = await builtinsPage(t);
  const opener = page.locator('#controls button.run[data-builtin="df.modal.show"]');
  for (const close of ['Escape', 'button', 'backdrop']) {
    await opener.focus();
    await opener.click();
    await waitFor(page, () => document.getElementById('df-modal')?.open === true && document.getElementById('modal-body'));
    assert.equal(await page.evaluate(() => document.getElementById('df-modal').contains(document.activeElement)), true, 'focus inside');
    if (close === 'Escape') await page.keyboard.press('Escape');
    else if (close === 'button') await page.click('#df-modal .df-close');
    else await page.mouse.click(5, 5); // outside the dialog box: the backdrop
    await waitFor(page, () => document.getElementById('df-modal').open === false);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.builtin), 'df.modal.show', `focus back after ${close}`);
  }
  await waitFor(page, () => [...document.querySelectorAll('#echo-log li')].length === 3);
  assert.deepEqual(await echoes(page), [{ via: 'modal hidden' }, { via: 'modal hidden' }, { via: 'modal hidden' }]);
  assert.equal(await page.$eval('#df-modal .df-modal-content', (c) => c.childNodes.length), 0);
}));

test('a Razor component rendered for the window: its user and its culture (Accept-Language fr-FR)', withDiagnostics(() => env, async (t) => {
  const context = await env.browser.newContext({ baseURL: env.baseUrl, locale: 'fr-FR' });
  context.setDefaultTimeout(TIMEOUT);
  closeAfter(t, context);
  const page = await openConnected(context, '/login?name=claire&returnUrl=/builtins');
  assert.equal(new URL(page.url()).pathname, '/builtins');
  await page.click('#card-page');
  await page.locator('#card .card').waitFor({ timeout: TIMEOUT });
  assert.deepEqual(await page.$eval('#card', (c) => [c.querySelector('h2').textContent, c.querySelector('.card-user').textContent,
    c.querySelector('.card-culture').textContent, c.querySelector('.card-amount').textContent]),
  ['A component in the page', 'claire', 'fr-FR', '1\u202f234,50']);
  assert.deepEqual(await added(page), ['card-page']);

  await page.click('#card-modal');
  await page.locator('#df-modal #card-modal').waitFor({ timeout: TIMEOUT });
  await page.click('#df-modal #card-modal button'); // its data-df-signal was bound after insertion
  assert.deepEqual(await waitForEcho(page, 'card button'), [{ via: 'card button' }]);
  await page.keyboard.press('Escape');
  assert.deepEqual(await waitForEcho(page, 'component modal hidden'), [{ via: 'component modal hidden' }]);
}));

test('an anonymous window in English gets the component in en-US', withDiagnostics(() => env, async (t) => {
  const page = await builtinsPage(t, { contextOptions: { locale: 'en-US' } });
  await page.click('#card-page');
  await page.locator('#card .card').waitFor({ timeout: TIMEOUT });
  assert.deepEqual(await page.$eval('#card', (c) => [c.querySelector('.card-user').textContent, c.querySelector('.card-culture').textContent,
    c.querySelector('.card-amount').textContent]), ['anonymous', 'en-US', '1,234.50']);
}));
