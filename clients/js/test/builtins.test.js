// The built-in browser signals html.* of src/df-builtins-html.js (df.notify, df.modal.* and the data-df-signal
// bindings are in builtins-ui.test.js), on the minimal DOM of testing/dom.js. Signals arrive as server frames on a fake socket, as they
// would from a C# shortcut; df.call in the page runs the same handlers.
import test from 'node:test';
import assert from 'node:assert/strict';
import { protocol, registerBuiltins, createClient, settled } from '../testing/fakes.js';
import { page } from '../testing/builtins-page.js';

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
