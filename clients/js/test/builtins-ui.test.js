// The built-in browser signals df.notify and df.modal.* and the data-df-signal bindings (src/df-builtins-notify.js,
// -modal.js, -bindings.js), on the minimal DOM of testing/dom.js; html.* are in builtins.test.js.
import test from 'node:test';
import assert from 'node:assert/strict';
import { setup, handshake, registerBuiltins, flush } from '../testing/fakes.js';
import { createDom, Event } from '../testing/dom.js';
import { page } from '../testing/builtins-page.js';

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
