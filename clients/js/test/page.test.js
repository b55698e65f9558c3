// The page side: default client bootstrap from the init element, jQuery, the ES module wrapper, df.notify
// (loaded as served: the parts of src/parts.json as one script; the other built-ins are in builtins.test.js).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadPage, fakeDocument, addInitElement, settled, flush } from '../testing/fakes.js';
import * as esm from '../src/df.mjs';

const LOADER = fileURLToPath(new URL('../testing/load-parts.cjs', import.meta.url));

test('with the init element present, df connects at once to the resolved URL with the page token', () => {
  const document = fakeDocument({ readyState: 'loading' });
  addInitElement(document);
  const { global, ws, logs } = loadPage({ document });
  assert.equal(typeof global.df.call, 'function');
  assert.equal(global.df.protocol, global.Switchboard.protocol);
  assert.equal(ws.sockets.length, 1);
  assert.equal(ws.last().url, 'wss://example.test/switchboard/ws');
  ws.last().open();
  assert.deepEqual(ws.last().frames(), [{ type: 'connect', v: 1, token: 'page-token' }]);
  assert.deepEqual(logs, { info: [], warn: [] }); // quiet by default
});

test('when df.js runs before the init element exists, it waits for DOMContentLoaded', async () => {
  const document = fakeDocument({ readyState: 'loading' });
  const { global, ws } = loadPage({ document });
  assert.equal(ws.sockets.length, 0);
  const early = global.df.call('demo.echo', { n: 1 }); // buffered until hello
  addInitElement(document, { url: 'http://other.test:8080/sb/ws', token: 't', v: 1 });
  document.fire('DOMContentLoaded');
  assert.equal(ws.last().url, 'ws://other.test:8080/sb/ws');
  ws.last().open();
  ws.last().receive({ type: 'hello', v: 1, signals: ['demo.echo'], heartbeat: 25000 });
  assert.deepEqual(ws.last().framesOfType('call').map((f) => f.opts), [{ n: 1 }]);
  ws.last().receive({ type: 'accepted', id: 1, jobs: 1 });
  assert.equal((await settled(early)).value.accepted, true);
  assert.deepEqual(await settled(global.df.ready), { value: undefined });
});

test('without an init element: one console.info, no socket, local handlers run, df waits for df.start', async () => {
  const document = fakeDocument({ readyState: 'loading' });
  const { global, ws, logs } = loadPage({ document });
  const seen = [];
  global.df.connect('page.local', (opts) => seen.push(opts.x));
  document.fire('DOMContentLoaded');
  assert.equal(ws.sockets.length, 0);
  assert.equal(logs.info.length, 1);
  assert.match(logs.info[0][0], /df\.start/);
  assert.equal(logs.warn.length, 0);
  assert.equal(global.df.state, 'connecting'); // not closed: a single-page app starts it once signed in
  const local = global.df.call('page.local', { x: 1 });
  assert.deepEqual(seen, [1]); // the local handler ran at once
  assert.equal(await settled(global.df.ready), 'pending');
  global.df.start({ url: '/switchboard/ws', token: 'spa-token' });
  assert.equal(ws.sockets.length, 1);
  ws.last().open();
  assert.deepEqual(ws.last().frames(), [{ type: 'connect', v: 1, token: 'spa-token' }]);
  ws.last().receive({ type: 'hello', v: 1, signals: [], heartbeat: 0 });
  assert.deepEqual({ ...(await settled(local)).value }, { accepted: false, local: 1 }); // spread: the value comes from the vm realm
  assert.deepEqual(await settled(global.df.ready), { value: undefined });
});

test('a broken init element is reported with console.warn and does not connect', () => {
  const document = fakeDocument();
  addInitElement(document, '{not json');
  const { ws, logs } = loadPage({ document });
  assert.equal(ws.sockets.length, 0);
  assert.equal(logs.warn.length, 1);
});

test('jQuery.df is the default client, also when jQuery is loaded after df.js', () => {
  const document = fakeDocument();
  addInitElement(document);
  const jQuery = function () {};
  const { global } = loadPage({ document, jQuery });
  assert.equal(jQuery.df, global.df);

  for (const initFirst of [true, false]) {
    const late = fakeDocument({ readyState: 'loading' });
    if (initFirst) addInitElement(late); // boot runs at once, jQuery comes later
    const page = loadPage({ document: late });
    const jq = function () {};
    page.global.jQuery = jq;
    if (!initFirst) addInitElement(late);
    late.fire('DOMContentLoaded');
    assert.equal(jq.df, page.global.df, `init element first: ${initFirst}`);
  }
});

test('jQuery.dfws is df.fn (DjangoFloor remote functions), with jQuery loaded before or after df.js', async () => {
  const document = fakeDocument();
  addInitElement(document);
  const jQuery = function () {};
  const { global, ws } = loadPage({ document, jQuery });
  assert.equal(jQuery.dfws, global.df.fn);
  assert.equal(typeof global.df.invoke, 'function');
  ws.last().open();
  ws.last().receive({ type: 'hello', v: 1, signals: [], functions: ['demo.add'], heartbeat: 25000 });
  const sum = jQuery.dfws.demo.add({ a: 2, b: 3 });
  assert.deepEqual(ws.last().framesOfType('invoke'), [{ type: 'invoke', id: 1, signal: 'demo.add', opts: { a: 2, b: 3 } }]);
  ws.last().receive({ type: 'result', id: 1, value: 5 });
  assert.deepEqual(await settled(sum), { value: 5 });

  for (const initFirst of [true, false]) {
    const late = fakeDocument({ readyState: 'loading' });
    if (initFirst) addInitElement(late);
    const page = loadPage({ document: late });
    const jq = function () {};
    page.global.jQuery = jq;
    if (!initFirst) addInitElement(late);
    late.fire('DOMContentLoaded');
    assert.equal(jq.dfws, page.global.df.fn, `init element first: ${initFirst}`);
    assert.equal(jq.df, page.global.df);
  }

  const own = function () {};
  own.dfws = 'kept';
  loadPage({ document: fakeDocument(), jQuery: own });
  assert.equal(own.dfws, 'kept'); // a $.dfws the page set itself is left alone, like $.df
});

test('loading df.js twice on one page keeps the first client and socket', () => {
  const document = fakeDocument();
  addInitElement(document);
  const page = loadPage({ document });
  const first = page.global.df;
  page.run();
  assert.equal(page.global.df, first);
  assert.equal(page.ws.sockets.length, 1);
});

test('without a DOM (node), df.js defines Switchboard and no default client', () => {
  assert.equal(globalThis.df, undefined);
  assert.equal(typeof globalThis.Switchboard.createClient, 'function');
  assert.ok(Object.isFrozen(globalThis.Switchboard));
});

test('the ES module wrapper re-exports the globals', () => {
  assert.equal(esm.createClient, globalThis.Switchboard.createClient);
  assert.equal(esm.protocol, globalThis.Switchboard.protocol);
  assert.equal(esm.SignalError, globalThis.Switchboard.SignalError);
  assert.equal(esm.registerBuiltins, globalThis.Switchboard.registerBuiltins);
  assert.equal(esm.df, globalThis.df);
  assert.equal(esm.default, globalThis.df);
});

test('`node -e` can load the parts as the C# parity tests do and print the protocol', () => {
  const out = execFileSync(process.execPath, ['-e', `require(${JSON.stringify(LOADER)}); process.stdout.write(JSON.stringify(globalThis.Switchboard.protocol))`], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), JSON.parse(JSON.stringify(globalThis.Switchboard.protocol)));
});

// --- df.notify ---

function notifyPage() {
  const document = fakeDocument();
  addInitElement(document);
  const page = loadPage({ document });
  page.ws.last().open();
  page.ws.last().receive({ type: 'hello', v: 1, signals: [], heartbeat: 0 });
  let n = 0;
  page.notify = (opts) => page.ws.last().receive({ type: 'signal', signal: 'df.notify', opts, signal_id: `n${++n}` });
  page.toasts = () => document.querySelectorAll('div.df-notification');
  page.document = document;
  return page;
}

test('df.notify renders a toast in a live region with title, content and level', () => {
  const page = notifyPage();
  page.notify({ content: 'Saved <b>ok</b>', title: 'Done', level: 'success' });
  const box = page.document.querySelector('div.df-notifications');
  assert.equal(box.getAttribute('aria-live'), 'polite');
  assert.equal(box.parentNode, page.document.body);
  const [toast] = page.toasts();
  assert.equal(toast.className, 'df-notification df-level-success');
  assert.equal(toast.getAttribute('role'), 'status');
  assert.equal(toast.children.length, 3);
  assert.equal(toast.children[0].tagName, 'STRONG');
  assert.equal(toast.children[0].className, 'df-notification-title');
  assert.equal(toast.children[0].textContent, 'Done');
  assert.equal(toast.children[1].className, 'df-notification-content');
  assert.equal(toast.children[1].textContent, 'Saved <b>ok</b>'); // text, never markup
  assert.equal(toast.children[2].getAttribute('aria-label'), 'Close');
});

test('df.notify defaults: level info, no title element, 5 s timeout; unknown level falls back to info', () => {
  const page = notifyPage();
  page.notify({ content: 'hello' });
  page.notify({ content: 'odd', level: 'purple', style: 'purple' });
  const toasts = page.toasts();
  assert.deepEqual(toasts.map((t) => t.className), ['df-notification df-level-info', 'df-notification df-level-info']);
  assert.equal(toasts[0].children.length, 2); // content and the close button
  page.clock.advance(4999);
  assert.equal(page.toasts().length, 2);
  page.clock.advance(1);
  assert.equal(page.toasts().length, 0);
});

test('df.notify: every level renders; timeout 0 stays until clicked; click closes early', () => {
  const page = notifyPage();
  for (const level of ['default', 'info', 'success', 'danger', 'warning']) page.notify({ content: level, level, timeout: 0 });
  assert.deepEqual(page.toasts().map((t) => t.className.split(' ')[1]), ['df-level-default', 'df-level-info', 'df-level-success', 'df-level-danger', 'df-level-warning']);
  page.clock.advance(3600000);
  assert.equal(page.toasts().length, 5);
  page.toasts()[0].click();
  assert.equal(page.toasts().length, 4);
  page.notify({ content: 'short', timeout: 1000 });
  page.toasts().at(-1).click();
  assert.equal(page.toasts().length, 4);
  assert.deepEqual(page.clock.pending(), []); // the click also cleared its timer
});

test('df.notify injects one <style id="df-styles"> and reuses one container', () => {
  const page = notifyPage();
  page.notify({ content: 'a' });
  page.notify({ content: 'b' });
  const styles = page.document.querySelectorAll('style');
  assert.equal(styles.length, 1);
  assert.equal(styles[0].id, 'df-styles');
  assert.equal(styles[0].parentNode, page.document.head);
  assert.match(styles[0].textContent, /\.df-notifications\{position:fixed/);
  assert.equal(page.document.querySelectorAll('div.df-notifications').length, 1);
});

test('df.notify can be called from the page itself and be overridden by the app', async () => {
  const page = notifyPage();
  const { df } = page.global;
  assert.deepEqual({ ...(await settled(df.call('df.notify', { content: 'local' }))).value }, { accepted: false, local: 1 });
  assert.equal(page.toasts().length, 1);
  df.disconnect('df.notify');
  const mine = [];
  df.connect('df.notify', (opts) => mine.push(opts.content));
  page.notify({ content: 'from server' });
  await flush();
  assert.deepEqual(mine, ['from server']);
  assert.equal(page.toasts().length, 1);
});
