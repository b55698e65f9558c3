// A minimal DOM for the built-in signal tests (src/df-builtins*.js), written for them: elements, text,
// fragments, <template>, a small HTML parser and serializer, a selector engine (tag, #id, .class, [attr],
// [attr=value], descendant and child combinators, comma lists), bubbling events, form controls (value,
// checked, selected, files, form.elements) and <dialog> (showModal/close). Not a browser: layout, CSS and
// script execution do not exist; getComputedStyle only knows inline `display` and the `hidden` attribute.
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

export class Event {
  constructor(type, init = {}) {
    this.type = type;
    this.bubbles = !!init.bubbles;
    this.cancelable = !!init.cancelable;
    this.defaultPrevented = false;
    this.target = null;
    this.currentTarget = null;
    this.stopped = false;
  }
  preventDefault() { if (this.cancelable) this.defaultPrevented = true; }
  stopPropagation() { this.stopped = true; }
}

class EventTarget {
  constructor() { this.listeners = {}; }
  addEventListener(type, fn, options) {
    const once = typeof options === 'object' && options !== null && options.once;
    (this.listeners[type] ??= []).push({ fn, once });
  }
  removeEventListener(type, fn) {
    this.listeners[type] = (this.listeners[type] ?? []).filter((l) => l.fn !== fn);
  }
  listenerCount(type) { return (this.listeners[type] ?? []).length; }
  dispatchEvent(event) {
    event.target ??= this;
    const path = [this];
    if (event.bubbles) {
      let n = this;
      while (n.parentNode) { n = n.parentNode; path.push(n); }
      if (n.nodeType === 1 && n.ownerDocument && n === n.ownerDocument.documentElement) path.push(n.ownerDocument);
    }
    for (const node of path) {
      event.currentTarget = node;
      for (const l of (node.listeners[event.type] ?? []).slice()) {
        if (l.once) node.removeEventListener(event.type, l.fn);
        l.fn.call(node, event);
      }
      if (event.stopped) break;
    }
    return !event.defaultPrevented;
  }
}

class Node extends EventTarget {
  constructor(doc) {
    super();
    this.ownerDocument = doc;
    this.parentNode = null;
    this.childNodes = [];
  }
  get firstChild() { return this.childNodes[0] ?? null; }
  get lastChild() { return this.childNodes.at(-1) ?? null; }
  get nextSibling() {
    if (!this.parentNode) return null;
    const s = this.parentNode.childNodes;
    return s[s.indexOf(this) + 1] ?? null;
  }
  get isConnected() {
    let n = this;
    while (n.parentNode) n = n.parentNode;
    return n === this.ownerDocument?.documentElement;
  }
  contains(other) {
    for (let n = other; n; n = n.parentNode) if (n === this) return true;
    return false;
  }
  insertBefore(child, ref) {
    if (child.nodeType === 11) {
      for (const c of child.childNodes.slice()) this.insertBefore(c, ref);
      return child;
    }
    if (child.contains(this)) throw new Error('HierarchyRequestError');
    if (child.parentNode) child.parentNode.removeChild(child);
    const i = ref == null ? this.childNodes.length : this.childNodes.indexOf(ref);
    if (i < 0) throw new Error('NotFoundError: reference is not a child');
    this.childNodes.splice(i, 0, child);
    child.parentNode = this;
    return child;
  }
  appendChild(child) { return this.insertBefore(child, null); }
  removeChild(child) {
    const i = this.childNodes.indexOf(child);
    if (i < 0) throw new Error('NotFoundError: not a child');
    this.childNodes.splice(i, 1);
    child.parentNode = null;
    return child;
  }
  replaceChild(child, old) {
    this.insertBefore(child, old);
    return this.removeChild(old);
  }
  get textContent() { return this.childNodes.map((c) => c.textContent).join(''); }
  set textContent(value) {
    for (const c of this.childNodes.slice()) this.removeChild(c);
    const v = value == null ? '' : String(value);
    if (v) this.appendChild(new Text(this.ownerDocument, v));
  }
  *descendants() {
    for (const c of this.childNodes) {
      if (c.nodeType === 1) {
        yield c;
        yield* c.descendants();
      }
    }
  }
  querySelectorAll(selector) {
    const groups = parseSelector(selector);
    return [...this.descendants()].filter((el) => groups.some((g) => matchesGroup(el, g, this)));
  }
  querySelector(selector) { return this.querySelectorAll(selector)[0] ?? null; }
  get children() { return this.childNodes.filter((c) => c.nodeType === 1); }
}

class Text extends Node {
  constructor(doc, data) { super(doc); this.nodeType = 3; this.data = data; }
  get textContent() { return this.data; }
  set textContent(v) { this.data = String(v); }
}

class Fragment extends Node {
  constructor(doc) { super(doc); this.nodeType = 11; }
}

class ClassList {
  constructor(el) { this.el = el; }
  get tokens() { return (this.el.getAttribute('class') ?? '').split(/\s+/).filter(Boolean); }
  check(t) { if (!t || /\s/.test(t)) throw new Error('InvalidCharacterError: bad class token ' + JSON.stringify(t)); }
  add(...ts) { for (const t of ts) this.check(t); this.el.setAttribute('class', [...new Set([...this.tokens, ...ts])].join(' ')); }
  remove(...ts) { for (const t of ts) this.check(t); this.el.setAttribute('class', this.tokens.filter((x) => !ts.includes(x)).join(' ')); }
  contains(t) { return this.tokens.includes(t); }
}

export class Element extends Node {
  constructor(doc, tag) {
    super(doc);
    this.nodeType = 1;
    this.tagName = tag.toUpperCase();
    this.attrs = new Map();
    this.style = {};
    this.classList = new ClassList(this);
    this.focusCount = 0;
    if (this.tagName === 'TEMPLATE') this.content = new Fragment(doc);
    if (this.tagName === 'DIALOG') this.open = false;
  }
  getAttribute(name) { return this.attrs.has(name.toLowerCase()) ? this.attrs.get(name.toLowerCase()) : null; }
  setAttribute(name, value) {
    if (!/^[^\s"'>/=]+$/.test(name)) throw new Error('InvalidCharacterError: ' + name);
    this.attrs.set(name.toLowerCase(), String(value));
  }
  removeAttribute(name) { this.attrs.delete(name.toLowerCase()); }
  hasAttribute(name) { return this.attrs.has(name.toLowerCase()); }
  get id() { return this.getAttribute('id') ?? ''; }
  set id(v) { this.setAttribute('id', v); }
  get className() { return this.getAttribute('class') ?? ''; }
  set className(v) { this.setAttribute('class', v); }
  get name() { return this.getAttribute('name') ?? ''; }
  get type() {
    if (this.tagName === 'SELECT') return this.multiple ? 'select-multiple' : 'select-one';
    if (this.tagName === 'BUTTON') return (this.getAttribute('type') ?? 'submit').toLowerCase();
    return (this.getAttribute('type') ?? 'text').toLowerCase();
  }
  get disabled() { return this.hasAttribute('disabled'); }
  get multiple() { return this.hasAttribute('multiple'); }
  get href() { return this.getAttribute('href') ?? ''; }
  set href(v) { this.setAttribute('href', v); }
  get target() { return this.getAttribute('target') ?? ''; }
  set target(v) { this.setAttribute('target', v); }
  get rel() { return this.getAttribute('rel') ?? ''; }
  set rel(v) { this.setAttribute('rel', v); }
  // form controls: the property wins once set, the attribute is the default
  get value() {
    if (this.tagName === 'SELECT') return this.options.find((o) => o.selected)?.value ?? '';
    if (this.tagName === 'OPTION') return this.getAttribute('value') ?? this.textContent;
    if (this.tagName === 'TEXTAREA') return this._value ?? this.textContent;
    if (this._value !== undefined) return this._value;
    const v = this.getAttribute('value');
    return v ?? (this.type === 'checkbox' || this.type === 'radio' ? 'on' : '');
  }
  set value(v) {
    if (this.tagName === 'SELECT') { for (const o of this.options) o.selected = o.value === String(v); return; }
    if (this.type === 'checkbox' || this.type === 'radio') { this.setAttribute('value', v); return; }
    this._value = String(v);
  }
  get checked() { return this._checked ?? this.hasAttribute('checked'); }
  set checked(v) {
    this._checked = !!v;
    if (v && this.type === 'radio' && this.name) {
      const scope = this.form ?? this.ownerDocument;
      for (const other of scope.querySelectorAll('input')) if (other !== this && other.type === 'radio' && other.name === this.name) other._checked = false;
    }
  }
  get selected() { return this._selected ?? this.hasAttribute('selected'); }
  set selected(v) {
    this._selected = !!v;
    const select = this.closest('select');
    if (v && select && !select.multiple) for (const o of select.options) if (o !== this) o._selected = false;
  }
  get selectedIndex() { return this.options.findIndex((o) => o.selected); }
  set selectedIndex(i) { this.options.forEach((o, n) => { o._selected = n === i; }); }
  get options() { return this.querySelectorAll('option'); }
  get form() { return this.closest('form'); }
  get elements() { return this.querySelectorAll('input,select,textarea,button'); }
  get files() { return this._files ?? []; }
  set files(v) { this._files = v; }
  matches(selector) { return parseSelector(selector).some((g) => matchesGroup(this, g, null)); }
  closest(selector) {
    for (let n = this; n && n.nodeType === 1; n = n.parentNode) if (n.matches(selector)) return n;
    return null;
  }
  focus() { this.focusCount++; this.ownerDocument.activeElement = this; }
  blur() { if (this.ownerDocument.activeElement === this) this.ownerDocument.activeElement = this.ownerDocument.body; }
  click() { this.dispatchEvent(new Event('click', { bubbles: true, cancelable: true })); }
  requestSubmit() { this.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })); }
  showModal() { this.open = true; this.setAttribute('open', ''); }
  close() {
    if (!this.open) return;
    this.open = false;
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  }
  get innerHTML() { return this.childNodes.map(serialize).join(''); }
  set innerHTML(html) {
    const target = this.tagName === 'TEMPLATE' ? this.content : this;
    for (const c of target.childNodes.slice()) target.removeChild(c);
    for (const n of parseHtml(this.ownerDocument, String(html))) target.appendChild(n);
  }
  get outerHTML() { return serialize(this); }
}

// --- selectors ---
function parseSelector(selector) {
  if (typeof selector !== 'string' || !selector.trim()) throw new SyntaxError('bad selector');
  return selector.split(',').map((part) => {
    const tokens = part.trim().replace(/\s*>\s*/g, ' > ').split(/\s+/);
    const steps = [];
    let combinator = ' ';
    for (const t of tokens) {
      if (t === '>') { combinator = '>'; continue; }
      steps.push({ combinator, compound: parseCompound(t) });
      combinator = ' ';
    }
    return steps;
  });
}
function parseCompound(text) {
  const c = { tag: null, ids: [], classes: [], attrs: [] };
  const re = /^(\*|[a-zA-Z][\w-]*)|#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:=(?:"([^"]*)"|'([^']*)'|([^\]]*)))?\]/g;
  let m;
  let consumed = 0;
  while ((m = re.exec(text)) && m.index === consumed) {
    consumed += m[0].length;
    if (m[1]) c.tag = m[1] === '*' ? null : m[1].toUpperCase();
    else if (m[2]) c.ids.push(m[2]);
    else if (m[3]) c.classes.push(m[3]);
    else c.attrs.push({ name: m[4], value: m[5] ?? m[6] ?? m[7] });
    if (consumed === text.length) break;
  }
  if (consumed !== text.length) throw new SyntaxError('unsupported selector ' + text);
  return c;
}
function matchesCompound(el, c) {
  if (c.tag && el.tagName !== c.tag) return false;
  if (c.ids.some((id) => el.id !== id)) return false;
  if (c.classes.some((k) => !el.classList.contains(k))) return false;
  return c.attrs.every((a) => el.hasAttribute(a.name) && (a.value === undefined || el.getAttribute(a.name) === a.value));
}
function matchesGroup(el, steps, scope) {
  const match = (node, i) => {
    if (!matchesCompound(node, steps[i].compound)) return false;
    if (i === 0) return true;
    const inScope = (n) => n && n.nodeType === 1 && (!scope || scope.contains(n)) && n !== scope;
    if (steps[i].combinator === '>') return inScope(node.parentNode) && match(node.parentNode, i - 1);
    for (let p = node.parentNode; inScope(p); p = p.parentNode) if (match(p, i - 1)) return true;
    return false;
  };
  return match(el, steps.length - 1);
}

// --- HTML ---
const decode = (s) => s.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" })[e]);
const escapeText = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

function parseHtml(doc, html) {
  const top = new Fragment(doc);
  const stack = [top];
  const re = /<!--[\s\S]*?-->|<\/([a-zA-Z][\w-]*)\s*>|<([a-zA-Z][\w-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*(\/?)>|([^<]+|<)/g;
  let m;
  while ((m = re.exec(html))) {
    const current = stack.at(-1);
    if (m[1]) {
      const tag = m[1].toUpperCase();
      const i = stack.findLastIndex((n) => n.tagName === tag);
      if (i > 0) stack.length = i;
    } else if (m[2]) {
      const el = doc.createElement(m[2]);
      const attrRe = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
      let a;
      while ((a = attrRe.exec(m[3]))) el.setAttribute(a[1], decode(a[2] ?? a[3] ?? a[4] ?? ''));
      (current.tagName === 'TEMPLATE' ? current.content : current).appendChild(el);
      if (!VOID.has(m[2].toLowerCase()) && !m[4]) stack.push(el);
    } else if (m[5]) {
      current.appendChild(new Text(doc, decode(m[5])));
    }
  }
  return top.childNodes.slice();
}
function serialize(node) {
  if (node.nodeType === 3) return escapeText(node.data);
  const tag = node.tagName.toLowerCase();
  const attrs = [...node.attrs].map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
  if (VOID.has(tag)) return `<${tag}${attrs}>`;
  const inner = node.tagName === 'TEMPLATE' ? node.content.childNodes.map(serialize).join('') : node.innerHTML;
  return `<${tag}${attrs}>${inner}</${tag}>`;
}

// --- document and window ---
class Document extends Node {
  constructor() {
    super(null);
    this.ownerDocument = this;
    this.nodeType = 9;
    this.readyState = 'complete';
    this.title = 'Test page';
    this.baseURI = 'https://example.test/page';
    this.documentElement = new Element(this, 'html');
    this.head = this.documentElement.appendChild(new Element(this, 'head'));
    this.body = this.documentElement.appendChild(new Element(this, 'body'));
    this.activeElement = this.body;
  }
  createElement(tag) { return new Element(this, tag); }
  createTextNode(text) { return new Text(this, text); }
  createDocumentFragment() { return new Fragment(this); }
  getElementById(id) { return this.documentElement.querySelector('#' + id) ?? null; }
  querySelectorAll(selector) {
    const groups = parseSelector(selector);
    return [this.documentElement, ...this.documentElement.descendants()].filter((el) => groups.some((g) => matchesGroup(el, g, null)));
  }
  querySelector(selector) { return this.querySelectorAll(selector)[0] ?? null; }
  fire(type) { this.dispatchEvent(new Event(type)); }
}

/**
 * A document (optionally with `body` HTML) and its window: `defaultView` has Event, getComputedStyle,
 * matchMedia and an optional Notification class.
 */
export function createDom({ body = '', readyState = 'complete', Notification } = {}) {
  const document = new Document();
  document.readyState = readyState;
  document.body.innerHTML = body;
  const window = {
    Event,
    document,
    location: { href: document.baseURI },
    getComputedStyle: (el) => ({
      display: el.style.display === 'none' || (el.hasAttribute('hidden') && !el.style.display) ? 'none' : (el.style.display || 'block'),
      opacity: el.style.opacity || '1'
    }),
    matchMedia: () => ({ matches: false }),
    Notification
  };
  document.defaultView = window;
  return { document, window };
}
