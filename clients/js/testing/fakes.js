// Test doubles for the Switchboard client: a fake clock (setTimeout/clearTimeout/now), a fake WebSocket
// driven by the test (open(), receive(frame), serverClose(code)), a tiny fake DOM, and a loader that runs
// the parts of src/parts.json as one classic script (what the server serves as /switchboard/df.js) in a
// fresh global (node:vm) to test the page bootstrap. The richer DOM of the built-in signal tests is in dom.js.
// Kept out of test/ because `node --test test/` runs every .js file under a folder named test.
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import '../src/df.mjs';

export const { createClient, protocol, SignalError, registerBuiltins } = globalThis.Switchboard;
/** The client's internal namespace (src/df-namespace.js), for tests of one part, e.g. parts.createOrdering. */
export const parts = globalThis[Symbol.for('switchboard.parts')];
/** The file names of the parts, in load order (src/parts.json). */
export const PART_NAMES = JSON.parse(readFileSync(new URL('../src/parts.json', import.meta.url), 'utf8'));
/** What the server serves as /switchboard/df.js: the parts joined by a newline (ClientScripts.cs). */
export const DF_SOURCE = PART_NAMES.map((name) => readFileSync(new URL('../src/' + name, import.meta.url), 'utf8')).join('\n');

/** Virtual time: timers run only inside advance(), in due order. `requested` logs every delay asked. */
export function fakeClock() {
  let time = 0;
  let seq = 0;
  const timers = new Map();
  const clock = {
    requested: [],
    now: () => time,
    setTimeout: (fn, ms = 0) => {
      const id = ++seq;
      clock.requested.push(ms);
      timers.set(id, { at: time + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout: (id) => { timers.delete(id); },
    /** Due times (relative to now) of the timers still armed. */
    pending: () => [...timers.values()].map((t) => t.at - time).sort((a, b) => a - b),
    advance(ms) {
      const end = time + ms;
      for (;;) {
        let nextId = null;
        let next = null;
        for (const [id, t] of timers) {
          if (t.at <= end && (next === null || t.at < next.at)) { nextId = id; next = t; }
        }
        if (next === null) break;
        timers.delete(nextId);
        time = next.at;
        next.fn();
      }
      time = end;
    },
  };
  return clock;
}

/** A WebSocket class whose instances record what the client sends and let the test play the server. */
export function fakeWebSocketFactory() {
  const sockets = [];
  class FakeWebSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.sent = [];
      this.closedWith = null;
      this.onopen = this.onmessage = this.onclose = this.onerror = null;
      sockets.push(this);
    }
    send(data) {
      if (this.readyState !== 1) throw new Error('InvalidStateError: socket not open');
      this.sent.push(data);
    }
    close(code, reason) {
      this.closedWith = { code, reason };
      this.readyState = 3;
    }
    // --- test side ---
    open() { this.readyState = 1; this.onopen?.({ type: 'open' }); }
    receive(frame) { this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) }); }
    serverClose(code, reason = '') {
      this.readyState = 3;
      this.onerror?.({ type: 'error' });
      this.onclose?.({ code, reason, wasClean: code !== 1006 });
    }
    frames() { return this.sent.map((s) => JSON.parse(s)); }
    framesOfType(type) { return this.frames().filter((f) => f.type === type); }
  }
  return { FakeWebSocket, sockets, last: () => sockets[sockets.length - 1] };
}

/** A logger that records instead of printing. */
export function recordingLogger() {
  const lines = { debug: [], info: [], warn: [] };
  return {
    lines,
    debug: (...a) => lines.debug.push(a),
    info: (...a) => lines.info.push(a),
    warn: (...a) => lines.warn.push(a),
  };
}

/** Random source returning the given values in turn (then repeating the last one). */
export function sequenceRandom(values) {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)];
}

/** A client wired to fakes; nothing real (no timers, no sockets, no console) is touched. */
export function setup(overrides = {}) {
  const clock = fakeClock();
  const ws = fakeWebSocketFactory();
  const logger = recordingLogger();
  const client = createClient({
    url: 'ws://test.local/switchboard/ws',
    token: 'tok-1',
    WebSocket: ws.FakeWebSocket,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    now: clock.now,
    random: () => 0.5,
    logger,
    ...overrides,
  });
  return { client, clock, ws, logger };
}

export const HELLO = { type: 'hello', v: 1, signals: ['demo.echo', 'demo.chat.post'], heartbeat: 25000 };

/** Opens the last socket and plays the server's hello. */
export function handshake(sock, hello = {}) {
  sock.open();
  sock.receive({ ...HELLO, ...hello });
}

/** Lets pending promise reactions run. */
export const flush = () => new Promise((resolve) => setImmediate(resolve));

/** Marks a promise as handled now, for tests that look at its outcome (with settled) only later. */
export function track(promise) {
  promise.catch(() => {});
  return promise;
}

/** 'pending', or {value} / {error} once settled (after a flush). */
export async function settled(promise) {
  let result = 'pending';
  promise.then((value) => { result = { value }; }, (error) => { result = { error }; });
  await flush();
  return result;
}

// --- a minimal DOM: enough for df.notify and the bootstrap; setting innerHTML throws ---
class FakeNode {
  constructor(doc, tagName) {
    this.ownerDocument = doc;
    this.tagName = tagName.toUpperCase();
    this.children = [];
    this.parentNode = null;
    this.attributes = {};
    this.className = '';
    this.id = '';
    this.textContent = '';
    this.listeners = {};
  }
  get firstChild() { return this.children[0] ?? null; }
  set innerHTML(_) { throw new Error('innerHTML must not be used'); }
  appendChild(child) {
    if (child.parentNode) child.parentNode.removeChild(child);
    child.parentNode = this;
    this.children.push(child);
    return child;
  }
  removeChild(child) {
    const i = this.children.indexOf(child);
    if (i < 0) throw new Error('not a child');
    this.children.splice(i, 1);
    child.parentNode = null;
    return child;
  }
  setAttribute(name, value) { this.attributes[name] = String(value); }
  getAttribute(name) { return this.attributes[name] ?? null; }
  addEventListener(type, fn) { (this.listeners[type] ??= []).push(fn); }
  click() { for (const fn of this.listeners.click ?? []) fn({ type: 'click', target: this }); }
  matches(selector) {
    const [tag, ...classes] = selector.split('.');
    if (tag && tag.toUpperCase() !== this.tagName) return false;
    const own = this.className.split(/\s+/);
    return classes.every((c) => own.includes(c));
  }
  *descendants() {
    for (const child of this.children) { yield child; yield* child.descendants(); }
  }
}

export function fakeDocument({ readyState = 'complete' } = {}) {
  const doc = {
    readyState,
    listeners: {},
    createElement: (tag) => new FakeNode(doc, tag),
    getElementById: (id) => {
      for (const node of doc.documentElement.descendants()) if (node.id === id) return node;
      return null;
    },
    querySelector: (selector) => {
      for (const node of doc.documentElement.descendants()) if (node.matches(selector)) return node;
      return null;
    },
    querySelectorAll: (selector) => [...doc.documentElement.descendants()].filter((n) => n.matches(selector)),
    addEventListener: (type, fn) => { (doc.listeners[type] ??= []).push(fn); },
    fire(type) {
      const fns = doc.listeners[type] ?? [];
      doc.listeners[type] = [];
      for (const fn of fns) fn({ type });
    },
  };
  doc.documentElement = new FakeNode(doc, 'html');
  doc.head = doc.documentElement.appendChild(new FakeNode(doc, 'head'));
  doc.body = doc.documentElement.appendChild(new FakeNode(doc, 'body'));
  return doc;
}

/** Adds the server-written init element to a fake document. */
export function addInitElement(doc, init = { url: '/switchboard/ws', token: 'page-token', v: 1 }) {
  const el = doc.createElement('script');
  el.id = 'switchboard-init';
  el.setAttribute('type', 'application/json');
  el.textContent = typeof init === 'string' ? init : JSON.stringify(init);
  doc.body.appendChild(el);
  return el;
}

/** Runs DF_SOURCE (the served df.js) as a classic script in a fresh global with the given page globals. */
export function loadPage({ document, location = { href: 'https://example.test/chat/lobby?x=1' }, jQuery, clock = fakeClock(), extra = {} } = {}) {
  const ws = fakeWebSocketFactory();
  const logs = { info: [], warn: [] };
  const sandbox = {
    document,
    location,
    WebSocket: ws.FakeWebSocket,
    URL,
    console: { info: (...a) => logs.info.push(a), warn: (...a) => logs.warn.push(a), log() {}, error() {} },
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    Event: class Event { constructor(type, init = {}) { this.type = type; this.bubbles = !!init.bubbles; } },
    ...extra,
  };
  if (jQuery) sandbox.jQuery = jQuery;
  vm.createContext(sandbox);
  vm.runInContext(DF_SOURCE, sandbox, { filename: 'df.js' });
  return { global: sandbox, ws, logs, clock, run: () => vm.runInContext(DF_SOURCE, sandbox, { filename: 'df.js' }) };
}
