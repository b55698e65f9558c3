// The built-in browser signals of src/df-builtins*.js (html.*, df.notify, df.modal.*) and the data-df-signal
// bindings, on the minimal DOM of testing/dom.js. Signals arrive as server frames on a fake socket, as they
// would from a C# shortcut; df.call in the page runs the same handlers.
import test from 'node:test';
import assert from 'node:assert/strict';
import { setup, handshake, protocol, registerBuiltins, createClient, flush, settled } from '../testing/fakes.js';
import { createDom, Event } from '../testing/dom.js';

function page(body = '', { Notification, hello = {} } = {}) {
  const { document, window } = createDom({ body, Notification });
  const ctx = setup({ builtins: false, document });
  const names = registerBuiltins(ctx.client, document, { setTimeout: ctx.clock.setTimeout, clearTimeout: ctx.clock.clearTimeout, logger: ctx.logger });
  const sock = ctx.ws.last();
  handshake(sock, hello);
  let n = 0;
  const signal = (name, opts) => sock.receive({ type: 'signal', signal: name, opts, signal_id: `s${++n}` });
  const added = [];
  document.addEventListener('DOMContentAdded', (e) => added.push(e.target));
  const $ = (selector) => document.querySelector(selector);
  const $$ = (selector) => document.querySelectorAll(selector);
  return { ...ctx, document, window, names, sock, signal, added, $, $$ };
}

// --- registration ---

test('registerBuiltins connects exactly protocol.builtinSignals, once per client', () => {
  const p = page();
  assert.deepEqual([...p.names].sort(), [...protocol.builtinSignals].sort());
  assert.deepEqual(registerBuiltins(p.client, p.document), []);
  for (const name of protocol.builtinSignals) assert.equal(p.client.disconnect(name), 1, name);
});

test('createClient registers the built-ins unless builtins: false; an app replaces one through df.connect', async () => {
  const client = createClient({ autoConnect: false });
  for (const name of protocol.builtinSignals) assert.equal(client.disconnect(name), 1, name);
  const bare = createClient({ autoConnect: false, builtins: false });
  assert.equal(bare.disconnect('html.append'), 0);

  const p = page('<p id="x">old</p>');
  p.client.disconnect('html.text');
  const mine = [];
  p.client.connect('html.text', (opts) => mine.push(opts.content));
  p.signal('html.text', { selector: '#x', content: 'new' });
  assert.deepEqual(mine, ['new']);
  assert.equal(p.$('#x').textContent, 'old');
});

test('df.call in the page runs a built-in locally (never sent: the server does not list it)', async () => {
  const p = page('<ul id="l"></ul>');
  const result = await settled(p.client.call('html.append', { selector: '#l', content: '<li>x</li>' }));
  assert.deepEqual(result.value, { accepted: false, local: 1 });
  assert.equal(p.$('#l').innerHTML, '<li>x</li>');
  assert.deepEqual(p.sock.framesOfType('call'), []);
});

// --- insertion: the only html.* signals that insert markup ---

test('html.append / prepend / before / after on every match, with DOMContentAdded on each inserted element', () => {
  const p = page('<div class="box" id="a"><i>1</i></div><div class="box" id="b"><i>1</i></div>');
  p.signal('html.append', { selector: '.box', content: '<b class="end">e</b>text' });
  p.signal('html.prepend', { selector: '#a', content: '<b class="start">s</b>' });
  p.signal('html.before', { selector: '#a', content: '<hr id="before">' });
  p.signal('html.after', { selector: '#b', content: '<hr id="after"><span id="after2"></span>' });
  assert.equal(p.$('#a').innerHTML, '<b class="start">s</b><i>1</i><b class="end">e</b>text');
  assert.equal(p.$('#b').innerHTML, '<i>1</i><b class="end">e</b>text');
  assert.equal(p.document.body.innerHTML.replace(/<div[\s\S]*<\/div>/, 'DIVS'), '<hr id="before">DIVS<hr id="after"><span id="after2"></span>');
  // elements only (not the text node), each its own node per target, bubbling to the document
  assert.deepEqual(p.added.map((el) => el.id || el.className), ['end', 'end', 'start', 'before', 'after', 'after2']);
  assert.notEqual(p.added[0], p.added[1]);
});

test('html.content replaces the children, html.replace_with the element itself', () => {
  const p = page('<div id="c"><p>old</p></div><p id="r">old</p>');
  p.signal('html.content', { selector: '#c', content: '<em id="new">new</em> &amp; more' });
  assert.equal(p.$('#c').innerHTML, '<em id="new">new</em> &amp; more');
  p.signal('html.replace_with', { selector: '#r', content: '<section id="r2"><b>x</b></section>' });
  assert.equal(p.$('#r'), null);
  assert.equal(p.$('#r2').parentNode, p.document.body);
  assert.deepEqual(p.added.map((el) => el.id), ['new', 'r2']);
});

test('a selector that matches nothing, or is invalid, changes nothing; invalid ones are logged', () => {
  const p = page('<p id="x">x</p>');
  p.signal('html.append', { selector: '#nothing', content: '<b>b</b>' });
  p.signal('html.append', { selector: '!!', content: '<b>b</b>' });
  p.signal('html.append', { content: '<b>b</b>' });
  assert.equal(p.document.body.innerHTML, '<p id="x">x</p>');
  assert.equal(p.logger.lines.warn.length, 1);
});

// --- text, classes, attributes ---

test('html.text sets text: markup stays text', () => {
  const p = page('<p class="t">a</p><p class="t">b</p>');
  p.signal('html.text', { selector: '.t', content: '<img src=x onerror=alert(1)>' });
  assert.deepEqual(p.$$('.t').map((el) => el.textContent), ['<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>']);
  assert.equal(p.$$('img').length, 0);
});

test('html.empty and html.remove', () => {
  const p = page('<ul id="l"><li>1</li><li>2</li></ul><p class="gone">a</p><p class="gone">b</p>');
  p.signal('html.empty', { selector: '#l' });
  p.signal('html.remove', { selector: '.gone' });
  assert.equal(p.document.body.innerHTML, '<ul id="l"></ul>');
});

test('html.add_class / remove_class take one or several space-separated classes', () => {
  const p = page('<p id="x" class="a">x</p>');
  p.signal('html.add_class', { selector: '#x', class_name: 'b c' });
  assert.equal(p.$('#x').className, 'a b c');
  p.signal('html.remove_class', { selector: '#x', class_name: 'a c' });
  assert.equal(p.$('#x').className, 'b');
});

test('html.add_attribute / remove_attr / boolean_attribute', () => {
  const p = page('<input id="i" title="t"><button id="b">b</button>');
  p.signal('html.add_attribute', { selector: '#i', attr_name: 'placeholder', attr_value: 'Your <name>' });
  p.signal('html.remove_attr', { selector: '#i', attr_name: 'title' });
  p.signal('html.boolean_attribute', { selector: '#b', name: 'disabled', value: true });
  assert.equal(p.$('#i').getAttribute('placeholder'), 'Your <name>');
  assert.equal(p.$('#i').hasAttribute('title'), false);
  assert.equal(p.$('#b').getAttribute('disabled'), 'disabled');
  p.signal('html.boolean_attribute', { selector: '#b', name: 'disabled', value: false });
  assert.equal(p.$('#b').hasAttribute('disabled'), false);
});

test('html.add_attribute refuses event handlers and javascript: URLs', () => {
  const p = page('<a id="a" href="/ok">a</a>');
  p.signal('html.add_attribute', { selector: '#a', attr_name: 'onclick', attr_value: 'alert(1)' });
  p.signal('html.add_attribute', { selector: '#a', attr_name: 'OnMouseOver', attr_value: 'alert(1)' });
  p.signal('html.add_attribute', { selector: '#a', attr_name: 'href', attr_value: ' java\tscript:alert(1)' });
  p.signal('html.boolean_attribute', { selector: '#a', name: 'onclick', value: true });
  assert.equal(p.$('#a').outerHTML, '<a id="a" href="/ok">a</a>');
  assert.equal(p.logger.lines.warn.length, 3);
  p.signal('html.add_attribute', { selector: '#a', attr_name: 'href', attr_value: '/next' });
  assert.equal(p.$('#a').getAttribute('href'), '/next');
});

// --- focus, download, trigger, val ---

test('html.focus focuses the first match only', () => {
  const p = page('<input class="f" id="one"><input class="f" id="two">');
  p.signal('html.focus', { selector: '.f' });
  assert.equal(p.document.activeElement.id, 'one');
  assert.equal(p.$('#two').focusCount, 0);
});

test('html.download_file clicks a temporary <a download>; javascript: URLs are refused', () => {
  const p = page();
  const clicked = [];
  p.document.addEventListener('click', (e) => clicked.push([e.target.href, e.target.getAttribute('download'), e.target.rel]));
  p.signal('html.download_file', { url: '/files/report.csv', filename: 'report.csv' });
  p.signal('html.download_file', { url: 'https://cdn.test/x.bin' });
  p.signal('html.download_file', { url: 'javascript:alert(1)', filename: 'x' });
  assert.deepEqual(clicked, [
    ['https://example.test/files/report.csv', 'report.csv', 'noopener'],
    ['https://cdn.test/x.bin', '', 'noopener'],
  ]);
  assert.equal(p.$$('a').length, 0);
  assert.equal(p.logger.lines.warn.length, 1);
});

test('html.trigger: click and submit run their default paths, other events bubble', () => {
  const p = page('<form id="f"><button id="b" type="button">b</button></form>');
  const seen = [];
  for (const type of ['click', 'submit', 'custom.event']) p.document.addEventListener(type, (e) => seen.push([type, e.target.id, e.bubbles]));
  p.signal('html.trigger', { selector: '#b', event: 'click' });
  p.signal('html.trigger', { selector: '#f', event: 'submit' });
  p.signal('html.trigger', { selector: '#b', event: 'custom.event' });
  assert.deepEqual(seen, [['click', 'b', true], ['submit', 'f', true], ['custom.event', 'b', true]]);
});

test('html.val sets values like jQuery .val()', () => {
  const p = page('<input id="t" value="a"><textarea id="ta">x</textarea>' +
    '<select id="m" multiple><option value="1">1</option><option value="2">2</option><option value="3">3</option></select>' +
    '<input type="checkbox" class="c" value="x"><input type="checkbox" class="c" value="y">' +
    '<select id="one"><option selected>x</option><option>y</option><option>z</option></select>' +
    '<select id="none"><option selected>x</option></select>');
  p.signal('html.val', { selector: '#t', value: 'b' });
  p.signal('html.val', { selector: '#ta', value: 'long text' });
  p.signal('html.val', { selector: '#m', value: ['1', '3'] });
  p.signal('html.val', { selector: '.c', value: ['y'] });
  p.signal('html.val', { selector: '#one', value: 'z' });
  p.signal('html.val', { selector: '#none', value: 'missing' });
  assert.equal(p.$('#t').value, 'b');
  assert.equal(p.$('#ta').value, 'long text');
  assert.deepEqual(p.$('#m').options.map((o) => o.selected), [true, false, true]);
  assert.deepEqual(p.$$('.c').map((c) => c.checked), [false, true]);
  assert.deepEqual(p.$('#one').options.map((o) => o.selected), [false, false, true]); // not the pre-selected first one
  assert.equal(p.$('#none').selectedIndex, -1);
});

test('html.forms.set follows df_websockets: groups, single checkbox, select, textarea, inputs', () => {
  const p = page('<form class="f"><input type="radio" name="r" value="a"><input type="radio" name="r" value="b">' +
    '<input type="checkbox" name="g" value="1"><input type="checkbox" name="g" value="2"><input type="checkbox" name="g" value="3">' +
    '<input type="checkbox" name="single"><textarea name="ta"></textarea><select name="s"><option value="x">x</option><option value="y">y</option></select>' +
    '<select name="ms" multiple><option value="1">1</option><option value="2">2</option></select><input name="t"></form>');
  p.signal('html.forms.set', { selector: '.f', values: [
    { name: 'r', value: 'b' }, { name: 'g', value: ['1', '3'] }, { name: 'single', value: true }, { name: 'ta', value: 'text' },
    { name: 's', value: 'y' }, { name: 'ms', value: ['1', '2'] }, { name: 't', value: 42 }, { name: 'missing', value: 1 }, 'junk',
  ] });
  const f = p.$('.f');
  const byName = (n) => f.elements.filter((e) => e.name === n);
  assert.deepEqual(byName('r').map((e) => e.checked), [false, true]);
  assert.deepEqual(byName('g').map((e) => e.checked), [true, false, true]);
  assert.equal(byName('single')[0].checked, true);
  assert.equal(byName('ta')[0].value, 'text');
  assert.equal(byName('s')[0].value, 'y');
  assert.deepEqual(byName('ms')[0].options.map((o) => o.selected), [true, true]);
  assert.equal(byName('t')[0].value, '42');
  p.signal('html.forms.set', { selector: '.f', values: [{ name: 'g', value: true }, { name: 'r', value: false }] });
  assert.deepEqual(byName('g').map((e) => e.checked), [true, true, true]);
  assert.deepEqual(byName('r').map((e) => e.checked), [false, false]);
});

// --- visibility ---

test('html.hide / show / toggle and the fades set display and opacity (instant without Web Animations)', () => {
  const p = page('<p id="x" style="">x</p><p id="h" hidden>h</p>');
  const x = p.$('#x');
  x.style.display = 'flex';
  p.signal('html.hide', { selector: '#x' });
  assert.equal(x.style.display, 'none');
  p.signal('html.show', { selector: '#x' });
  assert.equal(x.style.display, 'flex'); // the display it had before
  p.signal('html.toggle', { selector: '#x' });
  assert.equal(x.style.display, 'none');
  p.signal('html.fade_toggle', { selector: '#x', duration: 10 });
  assert.equal(x.style.display, 'flex');
  p.signal('html.fade_out', { selector: '#x' });
  assert.equal(x.style.display, 'none');
  p.signal('html.fade_in', { selector: '#x' });
  assert.equal(x.style.display, 'flex');
  p.signal('html.fade_to', { selector: '#x', opacity: 0.25 });
  assert.equal(x.style.opacity, '0.25');
  p.signal('html.show', { selector: '#h' }); // hidden by the attribute, no inline display
  assert.equal(p.window.getComputedStyle(p.$('#h')).display, 'block');
});

test('with Web Animations: opacity is animated for `duration` ms with the mapped easing, display set at the end', () => {
  const p = page('<p id="x">x</p>');
  const x = p.$('#x');
  const animations = [];
  x.animate = (keyframes, options) => {
    const a = { keyframes, options, onfinish: null, cancelled: false, cancel() { this.cancelled = true; } };
    animations.push(a);
    return a;
  };
  p.signal('html.fade_out', { selector: '#x', duration: 300, easing: 'linear' });
  assert.deepEqual(animations[0].keyframes, [{ opacity: 1 }, { opacity: 0 }]);
  assert.deepEqual(animations[0].options, { duration: 300, easing: 'linear' });
  assert.equal(x.style.display, undefined); // not yet
  animations[0].onfinish();
  assert.equal(x.style.display, 'none');
  p.signal('html.show', { selector: '#x', duration: 200, easing: 'swing' });
  assert.deepEqual(animations[1].options, { duration: 200, easing: 'ease-in-out' });
  p.signal('html.hide', { selector: '#x', duration: 100, easing: 'url(evil)' }); // cancels the show
  assert.equal(animations[1].cancelled, true);
  assert.equal(animations[2].options.easing, 'ease-in-out');
  animations[2].onfinish();
  assert.equal(x.style.display, 'none');
});

// --- df.notify ---

test('df.notify styles: notification (toast), banner (newest first in a container at the top), modal (auto-hides)', () => {
  const p = page('<main id="main"></main>');
  p.signal('df.notify', { content: 'toast', title: 'T', level: 'success' });
  const toast = p.$('div.df-notifications > div.df-notification');
  assert.equal(toast.className, 'df-notification df-level-success');
  assert.equal(toast.getAttribute('role'), 'status');

  p.signal('df.notify', { content: 'first', style: 'banner', level: 'warning', timeout: 0 });
  p.signal('df.notify', { content: 'second', style: 'banner', level: 'danger', timeout: 0 });
  const banners = p.$('div.df-banners');
  assert.equal(p.document.body.firstChild, banners);
  assert.deepEqual(banners.children.map((b) => [b.className, b.getAttribute('role'), b.querySelector('.df-notification-content').textContent]), [
    ['df-banner df-level-danger', 'alert', 'second'], ['df-banner df-level-warning', 'alert', 'first'],
  ]);

  p.signal('df.notify', { content: 'in the modal <b>', title: 'Careful', style: 'modal', level: 'danger', timeout: 1000 });
  const dialog = p.$('dialog.df-modal');
  assert.equal(dialog.open, true);
  assert.equal(dialog.querySelector('.df-notification-modal').className, 'df-notification-modal df-level-danger');
  assert.equal(dialog.querySelector('h2').textContent, 'Careful');
  assert.equal(dialog.querySelector('p').textContent, 'in the modal <b>');
  assert.equal(dialog.getAttribute('aria-labelledby'), dialog.querySelector('h2').id);
  p.clock.advance(1000);
  assert.equal(dialog.open, false);
  assert.equal(p.$('div.df-notifications').children.length, 1); // the toast stays 5 s
  p.clock.advance(4000);
  assert.equal(p.$('div.df-notifications').children.length, 0);
  assert.equal(p.$('div.df-banners').children.length, 2); // timeout 0: until closed
});

test('df.notify banner goes into an existing #df-messages; the close button removes it', () => {
  const p = page('<div id="df-messages"><p>old</p></div>');
  p.signal('df.notify', { content: 'b', style: 'banner', timeout: 0 });
  const box = p.$('#df-messages');
  assert.equal(box.children[0].className, 'df-banner df-level-info');
  box.children[0].querySelector('button.df-close').click();
  assert.equal(box.innerHTML, '<p>old</p>');
  assert.equal(p.$('div.df-banners'), null);
});

test('df.notify levels and timeouts: each level has its class, 0 stays, default 5 s, bad values fall back', () => {
  const p = page();
  for (const level of ['default', 'info', 'success', 'danger', 'warning', 'purple']) p.signal('df.notify', { content: level, level, timeout: 0 });
  const classes = p.$$('.df-notification').map((t) => t.className);
  assert.deepEqual(classes, ['default', 'info', 'success', 'danger', 'warning', 'info'].map((l) => `df-notification df-level-${l}`));
  p.signal('df.notify', { content: 'short' });
  p.signal('df.notify', { content: 'bad', timeout: 'soon' });
  p.clock.advance(5000);
  assert.equal(p.$$('.df-notification').length, 6);
  assert.ok(p.$('style#df-styles').textContent.includes('--bs-body-bg'));
});

function fakeNotification(permission, answer) {
  const made = [];
  class N {
    constructor(title, options) { this.title = title; this.options = options; this.closed = false; made.push(this); }
    close() { this.closed = true; }
  }
  N.permission = permission;
  N.asked = 0;
  N.requestPermission = () => { N.asked++; return Promise.resolve(answer); };
  N.made = made;
  return N;
}

test('df.notify system: the Notification API when granted (closed after timeout), asked once when undecided', async () => {
  const granted = fakeNotification('granted');
  const p = page('', { Notification: granted });
  p.signal('df.notify', { content: 'body text', title: 'Title', style: 'system', timeout: 2000 });
  assert.equal(granted.made.length, 1);
  assert.equal(granted.made[0].title, 'Title');
  assert.equal(granted.made[0].options.body, 'body text');
  assert.match(granted.made[0].options.tag, /^df-\d+$/);
  p.clock.advance(2000);
  assert.equal(granted.made[0].closed, true);
  assert.equal(p.$$('.df-notification').length, 0);

  const undecided = fakeNotification('default', 'granted');
  const q = page('', { Notification: undecided });
  q.signal('df.notify', { content: 'x', style: 'system' });
  await flush();
  assert.equal(undecided.asked, 1);
  assert.equal(undecided.made[0].title, 'Test page'); // no title: the page title
});

test('df.notify system falls back to a toast when refused or unavailable', async () => {
  for (const N of [fakeNotification('denied'), fakeNotification('default', 'denied'), undefined]) {
    const p = page('', { Notification: N });
    p.signal('df.notify', { content: 'fallback', style: 'system', level: 'warning' });
    await flush();
    assert.equal(p.$('.df-notification .df-notification-content').textContent, 'fallback');
    if (N) assert.equal(N.made.length, 0);
  }
});

// --- df.modal ---

test('df.modal.show inserts HTML in a <dialog>, fires DOMContentAdded, sets width; df.modal.hide calls onhide once', async () => {
  const p = page('<button id="opener">o</button>');
  const hidden = [];
  p.client.connect('app.modal_closed', (opts) => hidden.push(opts));
  p.$('#opener').focus();
  p.signal('df.modal.show', { html: '<h3>Hello</h3><p id="inside">body</p>', width: '30rem', onhide: { signal: 'app.modal_closed', options: { why: 'x' } } });
  const dialog = p.$('dialog#df-modal');
  assert.equal(dialog.open, true);
  assert.equal(dialog.getAttribute('aria-modal'), 'true');
  assert.equal(dialog.style.width, '30rem');
  assert.equal(dialog.querySelector('.df-modal-content').innerHTML, '<h3 id="df-modal-title">Hello</h3><p id="inside">body</p>');
  assert.equal(dialog.getAttribute('aria-labelledby'), 'df-modal-title');
  assert.deepEqual(p.added.map((el) => el.tagName), ['H3', 'P']);
  p.signal('df.modal.hide', {});
  p.signal('df.modal.hide', {});
  assert.equal(dialog.open, false);
  assert.equal(dialog.querySelector('.df-modal-content').innerHTML, '');
  assert.deepEqual(hidden, [{ why: 'x' }]);
  assert.equal(p.document.activeElement.id, 'opener'); // focus goes back
});

test('Escape (cancel), the close button and a replacing df.modal.show each end the content and call its onhide', () => {
  const p = page();
  const hidden = [];
  p.client.connect('app.hidden', (opts) => hidden.push(opts.n));
  p.signal('df.modal.show', { html: '<p>1</p>', width: 500, onhide: { signal: 'app.hidden', opts: { n: 1 } } });
  const dialog = p.$('dialog');
  assert.equal(dialog.style.width, '500px');
  const cancel = new Event('cancel', { cancelable: true });
  dialog.dispatchEvent(cancel);
  assert.equal(cancel.defaultPrevented, true);
  assert.equal(dialog.open, false);
  p.signal('df.modal.show', { html: '<p>2</p>', onhide: { signal: 'app.hidden', options: { n: 2 } } });
  assert.equal(dialog.style.width, '');
  p.signal('df.modal.show', { html: '<p>3</p>', onhide: { signal: 'app.hidden', options: { n: 3 } } });
  assert.equal(dialog.querySelector('.df-modal-content').innerHTML, '<p>3</p>');
  assert.equal(dialog.open, true);
  dialog.querySelector('button.df-close').click();
  assert.deepEqual(hidden, [1, 2, 3]);
  assert.equal(p.$$('dialog').length, 1);
});

test('an onhide signal the server lists is sent as a call', () => {
  const p = page('', { hello: { signals: ['demo.echo'] } });
  p.signal('df.modal.show', { html: 'x', onhide: { signal: 'demo.echo', options: { text: 'closed' } } });
  p.signal('df.modal.hide');
  assert.deepEqual(p.sock.framesOfType('call').map((f) => [f.signal, f.opts]), [['demo.echo', { text: 'closed' }]]);
});

// --- data-df-signal ---

const FORM = '<form id="f" data-df-signal=\'[{"name":"demo.echo","form":"data","opts":{"kind":"form"}}]\'>' +
  '<input name="text" value="hi"><input name="off" disabled value="no"><input type="checkbox" name="c" value="1" checked>' +
  '<input type="checkbox" name="c" value="2"><input type="file" name="files" id="files">' +
  '<select name="m" multiple id="m"><option value="a" selected>a</option><option value="b" selected>b</option><option value="c">c</option></select>' +
  '<input type="submit" name="go" value="Go"></form>';

function calls(p) { return p.sock.framesOfType('call').map((f) => [f.signal, f.opts]); }

test('data-df-signal on a form: submit sends the serialized form (files, multi-select, checked boxes) and prevents', () => {
  const p = page(FORM, { hello: { signals: ['demo.echo'] } });
  p.$('#files').files = [{ name: 'a.txt' }, { name: 'b.png' }];
  const submit = new Event('submit', { cancelable: true, bubbles: true });
  p.$('#f').dispatchEvent(submit);
  assert.equal(submit.defaultPrevented, true);
  assert.deepEqual(calls(p), [['demo.echo', { kind: 'form', data: [
    { name: 'text', value: 'hi' }, { name: 'c', value: '1' }, { name: 'files', value: 'a.txt' }, { name: 'files', value: 'b.png' },
    { name: 'm', value: 'a' }, { name: 'm', value: 'b' },
  ] }]]);
});

test('data-df-signal value: change on inputs, file names, multi-select values, checkbox state; opts fresh per event', () => {
  const p = page(
    '<input id="t" data-df-signal=\'{"name":"demo.echo","value":"v","opts":{"n":1}}\' value="a">' +
    '<input id="file" type="file" data-df-signal=\'[{"name":"demo.echo","value":"v"}]\'>' +
    '<select id="ms" multiple data-df-signal=\'[{"name":"demo.echo","value":"v"}]\'><option value="x">x</option><option value="y">y</option></select>' +
    '<input id="cb" type="checkbox" data-df-signal=\'[{"name":"demo.echo","value":"v"}]\'>',
    { hello: { signals: ['demo.echo'] } });
  const change = (id) => { const e = new Event('change', { bubbles: true, cancelable: true }); p.$(id).dispatchEvent(e); return e; };
  p.$('#t').value = 'typed';
  assert.equal(change('#t').defaultPrevented, false); // change is not prevented by default
  p.$('#t').value = 'again';
  change('#t');
  p.$('#file').files = [{ name: 'one.txt' }, { name: 'two.txt' }];
  change('#file');
  p.$('#ms').options[1].selected = true;
  change('#ms');
  p.$('#cb').checked = true;
  change('#cb');
  assert.deepEqual(calls(p), [
    ['demo.echo', { n: 1, v: 'typed' }], ['demo.echo', { n: 1, v: 'again' }], ['demo.echo', { v: ['one.txt', 'two.txt'] }],
    ['demo.echo', { v: ['y'] }], ['demo.echo', { v: true }],
  ]);
});

test('data-df-signal on buttons: click by default, `on` and `prevent` override, several entries per element', () => {
  const p = page('<form><input name="q" value="query">' +
    '<button id="b" data-df-signal=\'[{"name":"demo.echo","opts":{"a":1},"form":"f"},{"name":"page.local","on":"mouseover","prevent":false}]\'>b</button></form>' +
    '<a id="link" href="/x" data-df-signal=\'[{"name":"demo.echo","prevent":false}]\'>x</a>', { hello: { signals: ['demo.echo'] } });
  const local = [];
  p.client.connect('page.local', (opts) => local.push(opts));
  const click = new Event('click', { bubbles: true, cancelable: true });
  p.$('#b').dispatchEvent(click);
  assert.equal(click.defaultPrevented, true);
  const over = new Event('mouseover', { bubbles: true, cancelable: true });
  p.$('#b').dispatchEvent(over);
  assert.equal(over.defaultPrevented, false);
  const linkClick = new Event('click', { bubbles: true, cancelable: true });
  p.$('#link').dispatchEvent(linkClick);
  assert.equal(linkClick.defaultPrevented, false);
  assert.deepEqual(calls(p), [['demo.echo', { a: 1, f: [{ name: 'q', value: 'query' }] }], ['demo.echo', {}]]);
  assert.deepEqual(local, [{}]);
});

test('inserted content is scanned after DOMContentAdded; rescans never bind twice; bad JSON is logged once', () => {
  const p = page('<div id="zone"></div><p id="bad" data-df-signal="{oops">x</p>', { hello: { signals: ['demo.echo'] } });
  assert.equal(p.logger.lines.warn.length, 1);
  p.signal('html.append', { selector: '#zone', content: '<div><button id="new" data-df-signal=\'[{"name":"demo.echo","opts":{"from":"new"}}]\'>n</button></div>' });
  p.signal('html.append', { selector: '#zone', content: '<span>more</span>' }); // rescans #zone's new span only
  p.document.dispatchEvent(Object.assign(new Event('DOMContentAdded', { bubbles: true }), {})); // a whole-document rescan
  p.$('#new').click();
  assert.deepEqual(calls(p), [['demo.echo', { from: 'new' }]]);
  assert.equal(p.$('#new').listenerCount('click'), 1);
  assert.equal(p.logger.lines.warn.length, 1);
  // a changed attribute is rebound
  p.$('#new').setAttribute('data-df-signal', '[{"name":"demo.echo","opts":{"from":"changed"}}]');
  p.signal('html.append', { selector: '#new', content: '<b>x</b>' }); // DOMContentAdded bubbles through #new, target is <b>
  p.$('#new').dispatchEvent(new Event('DOMContentAdded', { bubbles: true }));
  p.$('#new').click();
  assert.deepEqual(calls(p).at(-1), ['demo.echo', { from: 'changed' }]);
  assert.equal(p.$('#new').listenerCount('click'), 1);
});

test('a refused binding call is logged, not thrown', async () => {
  const p = page('<button id="b" data-df-signal=\'[{"name":"nobody.listens"}]\'>b</button>');
  p.$('#b').click();
  await flush();
  assert.equal(p.logger.lines.warn.length, 1);
  assert.match(p.logger.lines.warn[0][0], /nobody\.listens/);
});

test('bindings wait for DOMContentLoaded when the document is still loading', () => {
  const { document } = createDom({ body: '<button id="b" data-df-signal=\'[{"name":"demo.echo"}]\'>b</button>', readyState: 'loading' });
  const ctx = setup({ builtins: false, document });
  registerBuiltins(ctx.client, document, { logger: ctx.logger });
  handshake(ctx.ws.last(), { signals: ['demo.echo'] });
  document.querySelector('#b').click();
  assert.equal(ctx.ws.last().framesOfType('call').length, 0);
  document.fire('DOMContentLoaded');
  document.querySelector('#b').click();
  assert.equal(ctx.ws.last().framesOfType('call').length, 1);
});
