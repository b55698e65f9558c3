/*
 * Switchboard browser client, wire protocol v1 (docs/protocol.md).
 *
 * One file, no build step, no dependencies. It must run both as a classic <script src> and when imported
 * as an ES module (src/df.mjs re-exports it), so it has no import/export statements: it publishes
 * globalThis.Switchboard = { createClient, protocol, SignalError } and, in a page, the default client
 * globalThis.df (also jQuery.df when jQuery is present). Typings: types/df.d.ts.
 */
(function (root) {
  'use strict';

  // Loaded twice (classic script and module on one page): keep the first copy, so there is one socket.
  if (root.Switchboard && root.Switchboard.protocol) return;

  // ---------------------------------------------------------------------------------------------------
  // Protocol constants. Defined once on this side; ProtocolParityTests compares them with the C# side,
  // so this stays a plain frozen data object that exists without a DOM.
  // ---------------------------------------------------------------------------------------------------
  function deepFreeze(value) {
    Object.keys(value).forEach(function (key) {
      if (value[key] && typeof value[key] === 'object') deepFreeze(value[key]);
    });
    return Object.freeze(value);
  }

  var protocol = deepFreeze({
    version: 1,
    frameTypes: {
      connect: 'connect', call: 'call', ping: 'ping',
      hello: 'hello', signal: 'signal', accepted: 'accepted', refused: 'refused', error: 'error', pong: 'pong'
    },
    errorCodes: {
      badFrame: 'bad_frame', unknownFrame: 'unknown_frame', invalidSignalName: 'invalid_signal_name',
      unknownSignal: 'unknown_signal', forbidden: 'forbidden', kwargsTooLarge: 'kwargs_too_large',
      badArguments: 'bad_arguments', handlerFailed: 'handler_failed', expired: 'expired', unavailable: 'unavailable'
    },
    closeCodes: {
      normal: 1000, goingAway: 1001, frameTooLarge: 1009, internalError: 1011,
      invalidToken: 4001, unsupportedVersion: 4002, handshakeTimeout: 4008, binaryFrame: 4009,
      heartbeatTimeout: 4100, slowConsumer: 4101
    },
    builtinSignals: ['df.notify']
  });

  var FRAME = protocol.frameTypes;
  var CODE = protocol.errorCodes;
  var CLOSE = protocol.closeCodes;
  var NAME_RE = /^[_a-zA-Z]\w*(\.[_a-zA-Z]\w*)*$/;
  // Error codes that concern a job of an already accepted call: they never settle the call's Promise.
  var JOB_CODES = [CODE.badArguments, CODE.handlerFailed, CODE.expired];

  // ---------------------------------------------------------------------------------------------------
  // SignalError: the one error type a call rejects with. `code` is a protocol error code (§4) or one of
  // the client-side codes below, which say whether the call may have reached the server.
  // ---------------------------------------------------------------------------------------------------
  class SignalError extends Error {
    constructor(code, message, details) {
      super(message || code);
      this.name = 'SignalError';
      this.code = code;
      this.signal = details && details.signal != null ? details.signal : null;
      this.id = details && details.id != null ? details.id : null;
    }
  }
  SignalError.clientCodes = Object.freeze({
    disconnected: 'disconnected', // sent, answer lost: the server may or may not have queued it
    bufferFull: 'buffer_full',    // never sent: dropped from the full offline buffer
    closed: 'closed'              // never sent: the client closed for good
  });
  var CLIENT = SignalError.clientCodes;

  var DEFAULT_OPTIONS = Object.freeze({
    bufferSize: 256,
    minReconnectDelay: 500,
    maxReconnectDelay: 20000,
    pongTimeout: 10000, // also bounds the wait for `hello` after the socket is created
    maxSeenIds: 1024
  });

  function noop() {}
  function isPlainObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }
  function checkName(name) {
    return typeof name === 'string' && NAME_RE.test(name);
  }

  // Relative URLs resolve against the page; http(s) becomes ws(s); ws(s) URLs pass through.
  function resolveUrl(url) {
    var base = root.location && root.location.href;
    var parsed = base ? new URL(url, base) : new URL(url);
    if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
    else if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
    if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
      throw new TypeError('Switchboard: not a WebSocket URL: ' + url);
    }
    parsed.hash = '';
    return parsed.href;
  }

  // Quiet by default: only real problems reach the console.
  var defaultLogger = {
    debug: noop,
    info: function () { console.info.apply(console, arguments); },
    warn: function () { console.warn.apply(console, arguments); }
  };

  // ---------------------------------------------------------------------------------------------------
  // createClient: one independent client (state machine, reconnect loop, handler table).
  // Everything that touches the outside world (WebSocket, timers, random, clock, logger, document) is
  // injectable so that tests drive it without sleeping.
  // ---------------------------------------------------------------------------------------------------
  function createClient(config) {
    config = config || {};
    var setT = config.setTimeout || function (fn, ms) { return root.setTimeout(fn, ms); };
    var clearT = config.clearTimeout || function (id) { root.clearTimeout(id); };
    var random = config.random || Math.random;
    var now = config.now || Date.now;
    var logger = config.logger || defaultLogger;

    var options = {};
    Object.keys(DEFAULT_OPTIONS).forEach(function (key) {
      options[key] = config[key] !== undefined ? config[key] : DEFAULT_OPTIONS[key];
    });

    var url = config.url || null;
    var token = config.token != null ? config.token : null;
    var state = 'connecting';
    var started = false;
    var closed = false;        // for good: no more sockets
    var ws = null;             // current socket, null between attempts
    var connected = false;     // `hello` received on the current socket
    var helloSeen = false;     // `hello` received at least once
    var attempt = 0;           // reconnect attempts since the last `hello`
    var allowed = null;        // Set of server-callable signals from the last `hello`; null before any
    var heartbeat = 0;
    var lastSent = 0, lastReceived = 0, pingOutstanding = false;
    var reconnectTimer = null, handshakeTimer = null, idleTimer = null, pongTimer = null;
    var nextId = 1;
    var pending = new Map();   // id -> call sent on the current socket, not answered yet
    var buffer = [];           // calls waiting for `hello` (FIFO, bounded by options.bufferSize)
    var seen = new Set();      // recent signal_id values (insertion ordered, bounded by options.maxSeenIds)
    var handlers = new Map();  // signal name -> [{fn}]
    var listeners = { reconnect: [], close: [], error: [], state: [] };

    var resolveReady, rejectReady;
    var ready = new Promise(function (resolve, reject) { resolveReady = resolve; rejectReady = reject; });
    ready.catch(noop); // a page that never awaits df.ready gets no unhandled-rejection noise

    function log(level) {
      var fn = logger && logger[level];
      if (typeof fn === 'function') fn.apply(logger, Array.prototype.slice.call(arguments, 1));
    }

    // --- events --------------------------------------------------------------------------------------
    function subscriber(kind) {
      return function (fn) {
        if (typeof fn !== 'function') throw new TypeError('Switchboard: listener must be a function');
        listeners[kind].push(fn);
        return function () {
          var i = listeners[kind].indexOf(fn);
          if (i >= 0) listeners[kind].splice(i, 1);
        };
      };
    }
    function emit(kind, ctx) {
      listeners[kind].slice().forEach(function (fn) {
        try { fn(ctx); } catch (err) { log('warn', 'Switchboard: ' + kind + ' listener failed', err); }
      });
    }
    function setState(next) {
      if (next === state) return;
      state = next;
      emit('state', { state: next });
    }

    // --- browser handlers ----------------------------------------------------------------------------
    function connect(name, fn) {
      if (!checkName(name)) throw new TypeError('Switchboard: invalid signal name ' + JSON.stringify(name));
      if (typeof fn !== 'function') throw new TypeError('Switchboard: handler must be a function');
      var entry = { fn: fn };
      if (!handlers.has(name)) handlers.set(name, []);
      handlers.get(name).push(entry);
      return function () {
        var list = handlers.get(name);
        var i = list ? list.indexOf(entry) : -1;
        if (i >= 0) list.splice(i, 1);
      };
    }

    function disconnect(name, fn) {
      var list = handlers.get(name);
      if (!list) return 0;
      var before = list.length;
      var kept = fn === undefined ? [] : list.filter(function (entry) { return entry.fn !== fn; });
      handlers.set(name, kept);
      return before - kept.length;
    }

    // Runs every handler (a copy of the list, so handlers may add/remove handlers); one failing handler
    // is logged and does not stop the others. Returns how many ran.
    function runHandlers(name, opts, ctx) {
      var list = (handlers.get(name) || []).slice();
      list.forEach(function (entry) {
        try {
          var result = entry.fn.call(client, opts, ctx);
          if (result && typeof result.then === 'function') {
            result.then(undefined, function (err) { log('warn', 'Switchboard: handler of ' + name + ' failed', err); });
          }
        } catch (err) {
          log('warn', 'Switchboard: handler of ' + name + ' failed', err);
        }
      });
      if (!list.length && ctx.fromServer) log('debug', 'Switchboard: no browser handler for ' + name);
      return list.length;
    }

    // --- calls ---------------------------------------------------------------------------------------
    function call(name, opts) {
      if (!checkName(name)) {
        return Promise.reject(new SignalError(CODE.invalidSignalName,
          'Invalid signal name ' + JSON.stringify(name) + '.', { signal: name }));
      }
      if (opts == null) opts = {};
      if (!isPlainObject(opts)) return Promise.reject(new TypeError('Switchboard: opts must be an object'));
      var optsJson;
      try { optsJson = JSON.stringify(opts); } catch (err) {
        return Promise.reject(new TypeError('Switchboard: opts must be JSON-serializable: ' + err.message));
      }
      // Serialized before local handlers run: the server gets what the caller passed.
      var local = runHandlers(name, opts, { signalId: null, fromServer: false });
      return new Promise(function (resolve, reject) {
        route({ name: name, optsJson: optsJson, local: local, resolve: resolve, reject: reject, id: null });
      });
    }

    function fail(entry, code, message) {
      entry.reject(new SignalError(code, message, { signal: entry.name, id: entry.id }));
    }

    // The server may not be called: the local handlers were the whole call, or nothing happened at all.
    function settleLocally(entry) {
      if (entry.local > 0) entry.resolve({ accepted: false, local: entry.local });
      else fail(entry, CODE.forbidden, "No browser handler for '" + entry.name + "' and this window may not call it on the server.");
    }

    // Decides, for one call, between sending now, waiting for `hello`, and settling without the server.
    function route(entry) {
      var mayCall = allowed !== null && allowed.has(entry.name);
      if (closed) {
        if (mayCall || (allowed === null && entry.local === 0)) fail(entry, CLIENT.closed, 'The Switchboard client is closed.');
        else settleLocally(entry);
      } else if (allowed !== null && !mayCall) {
        settleLocally(entry);
      } else if (connected) {
        entry.id = nextId++;
        pending.set(entry.id, entry);
        send('{"type":"call","id":' + entry.id + ',"signal":' + JSON.stringify(entry.name) + ',"opts":' + entry.optsJson + '}');
      } else {
        buffer.push(entry);
        while (buffer.length > Math.max(0, options.bufferSize)) {
          fail(buffer.shift(), CLIENT.bufferFull, 'Too many calls waiting for the connection; the oldest was dropped.');
        }
      }
    }

    function failPending(code, message) {
      var lost = Array.from(pending.values());
      pending.clear();
      lost.forEach(function (entry) { fail(entry, code, message); });
    }

    // --- socket lifecycle ----------------------------------------------------------------------------
    function send(text) {
      if (!ws) return;
      try {
        ws.send(text);
        lastSent = now();
      } catch (err) {
        log('warn', 'Switchboard: send failed', err);
        drop(CLOSE.goingAway, 'send failed');
      }
    }

    function clearTimers() {
      [handshakeTimer, idleTimer, pongTimer].forEach(function (id) { if (id !== null) clearT(id); });
      handshakeTimer = idleTimer = pongTimer = null;
    }

    function detach(sock) {
      sock.onopen = sock.onmessage = sock.onclose = sock.onerror = null;
    }

    function openSocket() {
      reconnectTimer = null;
      if (closed) return;
      var sock;
      try {
        sock = new (config.WebSocket || root.WebSocket)(resolveUrl(url));
      } catch (err) {
        log('warn', 'Switchboard: cannot open the WebSocket', err);
        scheduleReconnect();
        return;
      }
      ws = sock;
      connected = false;
      sock.onopen = function () {
        if (ws === sock) send(JSON.stringify({ type: FRAME.connect, v: protocol.version, token: token }));
      };
      sock.onmessage = function (event) { if (ws === sock) receive(event.data); };
      sock.onclose = function (event) { if (ws === sock) lost(event.code, event.reason); };
      sock.onerror = function () { log('debug', 'Switchboard: WebSocket error'); }; // a close event follows
      handshakeTimer = setT(function () {
        handshakeTimer = null;
        drop(CLOSE.handshakeTimeout, 'no hello from the server');
      }, options.pongTimeout);
    }

    // We give up on the current socket ourselves (dead or stuck): close it and act as if it closed.
    function drop(code, reason) {
      var sock = ws;
      if (!sock) return;
      detach(sock);
      try { sock.close(code, reason); } catch (err) { /* already closing */ }
      lost(code, reason);
    }

    function lost(code, reason) {
      if (ws) detach(ws);
      ws = null;
      connected = false;
      pingOutstanding = false;
      clearTimers();
      failPending(CLIENT.disconnected, 'The connection was lost before the server answered; the call may or may not have been queued.');
      // §5: 4000-4099 are terminal (do not reconnect with the same token), except 4008 which the table
      // lists as "reconnect" (a handshake that did not arrive in time says nothing about the token).
      var terminal = code >= 4000 && code <= 4099 && code !== CLOSE.handshakeTimeout;
      emit('close', { code: code, reason: reason || '', terminal: terminal });
      if (closed) return; // a close listener called close()
      if (terminal) {
        log('warn', 'Switchboard: connection closed for good (' + code + (reason ? ' ' + reason : '') + '); reload the page.');
        shutdown();
        return;
      }
      setState(helloSeen ? 'reconnecting' : 'connecting');
      scheduleReconnect();
    }

    // Full-jitter exponential backoff: random(0, min(max, base * 2^attempt)).
    function scheduleReconnect() {
      var cap = Math.min(options.maxReconnectDelay, options.minReconnectDelay * Math.pow(2, Math.min(attempt, 30)));
      var delay = Math.floor(random() * cap);
      attempt++;
      reconnectTimer = setT(openSocket, delay);
    }

    function shutdown() {
      closed = true;
      if (reconnectTimer !== null) clearT(reconnectTimer);
      reconnectTimer = null;
      clearTimers();
      var waiting = buffer;
      buffer = [];
      waiting.forEach(function (entry) { fail(entry, CLIENT.closed, 'The Switchboard client closed before the call could be sent.'); });
      if (!helloSeen) rejectReady(new SignalError(CLIENT.closed, 'The Switchboard client closed before connecting.'));
      setState('closed');
    }

    // --- heartbeat -----------------------------------------------------------------------------------
    // Ping when nothing was sent (the server needs to hear from us) or nothing was received (we need to
    // know the server is alive) for `heartbeat` ms; no answer within pongTimeout means a dead connection.
    // The idle timer is not re-armed on every frame: when it fires it re-arms for the time still left.
    function armIdle() {
      if (!connected || !heartbeat || idleTimer !== null || pingOutstanding) return;
      var due = Math.min(lastSent, lastReceived) + heartbeat - now();
      idleTimer = setT(onIdle, Math.max(0, due));
    }
    function onIdle() {
      idleTimer = null;
      if (!connected) return;
      if (Math.min(lastSent, lastReceived) + heartbeat > now()) { armIdle(); return; }
      pingOutstanding = true;
      pongTimer = setT(function () {
        pongTimer = null;
        drop(CLOSE.heartbeatTimeout, 'no pong from the server');
      }, options.pongTimeout);
      send('{"type":"ping"}');
    }

    // --- incoming frames -----------------------------------------------------------------------------
    function receive(data) {
      lastReceived = now();
      if (pongTimer !== null) { clearT(pongTimer); pongTimer = null; } // any frame proves the server alive
      pingOutstanding = false;
      armIdle();
      if (typeof data !== 'string') { log('debug', 'Switchboard: ignored a binary frame'); return; }
      var frame;
      try { frame = JSON.parse(data); } catch (err) { log('warn', 'Switchboard: ignored a frame that is not JSON'); return; }
      if (!isPlainObject(frame)) return;
      switch (frame.type) {
        case FRAME.hello: onHello(frame); break;
        case FRAME.signal: onSignal(frame); break;
        case FRAME.accepted: onAnswer(frame, true); break;
        case FRAME.refused: onAnswer(frame, false); break;
        case FRAME.error: onError(frame); break;
        default: break; // pong, and frame types of later versions
      }
    }

    function onHello(frame) {
      var signals = Array.isArray(frame.signals) ? frame.signals.filter(function (s) { return typeof s === 'string'; }) : [];
      allowed = new Set(signals);
      heartbeat = typeof frame.heartbeat === 'number' && frame.heartbeat > 0 ? frame.heartbeat : 0;
      if (connected) return; // a repeated hello only updates the list
      if (handshakeTimer !== null) { clearT(handshakeTimer); handshakeTimer = null; }
      var attempts = attempt;
      attempt = 0;
      connected = true;
      var first = !helloSeen;
      helloSeen = true;
      setState('connected');
      armIdle();
      var waiting = buffer;
      buffer = [];
      waiting.forEach(route);
      if (first) resolveReady();
      else emit('reconnect', { attempts: attempts, signals: signals.slice() });
    }

    function onSignal(frame) {
      if (!checkName(frame.signal)) { log('debug', 'Switchboard: ignored a signal frame with a bad name'); return; }
      var id = typeof frame.signal_id === 'string' || typeof frame.signal_id === 'number' ? String(frame.signal_id) : null;
      if (id !== null) {
        if (seen.has(id)) return; // the same call reached this window through several topics
        seen.add(id);
        while (seen.size > Math.max(1, options.maxSeenIds)) seen.delete(seen.values().next().value);
      }
      // Server-originated: only browser handlers run, nothing is sent back.
      runHandlers(frame.signal, isPlainObject(frame.opts) ? frame.opts : {}, { signalId: id, fromServer: true });
    }

    function onAnswer(frame, accepted) {
      var entry = pending.get(frame.id);
      if (!entry) { log('debug', 'Switchboard: answer for unknown call ' + frame.id); return; }
      pending.delete(frame.id);
      if (accepted) entry.resolve({ accepted: true, jobs: typeof frame.jobs === 'number' ? frame.jobs : 0, local: entry.local });
      else fail(entry, typeof frame.code === 'string' ? frame.code : CODE.forbidden, typeof frame.message === 'string' ? frame.message : '');
    }

    function onError(frame) {
      var code = typeof frame.code === 'string' ? frame.code : 'error';
      var message = typeof frame.message === 'string' ? frame.message : '';
      var id = frame.id != null ? frame.id : null;
      var entry = id !== null ? pending.get(id) : undefined;
      // A call-level error (e.g. bad_frame) for an unanswered call settles it; job errors never do.
      if (entry && JOB_CODES.indexOf(code) < 0) {
        pending.delete(id);
        fail(entry, code, message);
        return;
      }
      var ctx = { code: code, message: message, id: id, signal: typeof frame.signal === 'string' ? frame.signal : (entry ? entry.name : null) };
      if (listeners.error.length) emit('error', ctx);
      else log('warn', 'Switchboard: server error ' + code + (ctx.signal ? ' (' + ctx.signal + ')' : '') + ': ' + message);
    }

    // --- public lifecycle ----------------------------------------------------------------------------
    function start(init) {
      if (started || closed) return client;
      if (init && init.url) url = init.url;
      if (init && init.token != null) token = init.token;
      if (!url) throw new TypeError('Switchboard: no url to connect to');
      if (typeof token !== 'string') throw new TypeError('Switchboard: no window token');
      if (typeof (config.WebSocket || root.WebSocket) !== 'function') throw new TypeError('Switchboard: no WebSocket implementation');
      resolveUrl(url); // fail now on a bad URL rather than on every reconnect
      started = true;
      openSocket();
      return client;
    }

    function close() {
      if (closed) return;
      var sock = ws;
      ws = null;
      connected = false;
      if (sock) {
        detach(sock);
        try { sock.close(CLOSE.normal, 'client closed'); } catch (err) { /* already closing */ }
      }
      clearTimers();
      failPending(CLIENT.disconnected, 'The client closed before the server answered; the call may or may not have been queued.');
      if (started) emit('close', { code: CLOSE.normal, reason: 'client closed', terminal: true });
      shutdown();
    }

    var client = {
      get state() { return state; },
      options: options,
      protocol: protocol,
      ready: ready,
      connect: connect,
      disconnect: disconnect,
      call: call,
      start: start,
      close: close,
      onreconnect: subscriber('reconnect'),
      onclose: subscriber('close'),
      onerror: subscriber('error'),
      onstate: subscriber('state')
    };

    if (config.builtins !== false) {
      connect('df.notify', createNotify(function () { return config.document || root.document; }, setT, clearT));
    }
    if (config.autoConnect !== false) start();
    return client;
  }

  // ---------------------------------------------------------------------------------------------------
  // Built-in browser signal df.notify: a self-contained toast (no CSS framework). Registered through the
  // public handler table, so an app replaces it with df.disconnect('df.notify') + df.connect(...).
  // Text goes through textContent only: server data never becomes markup.
  // ---------------------------------------------------------------------------------------------------
  var LEVELS = ['default', 'info', 'success', 'danger', 'warning'];
  var STYLES = [
    '.df-notifications{position:fixed;top:1rem;right:1rem;z-index:2147483000;display:flex;flex-direction:column;',
    'gap:.5rem;width:22rem;max-width:calc(100vw - 2rem);pointer-events:none}',
    '.df-notification{pointer-events:auto;cursor:pointer;box-sizing:border-box;padding:.75rem 1rem;border-radius:.375rem;',
    'border-left:.3rem solid #6c757d;background:#fff;color:#212529;box-shadow:0 .25rem .75rem rgba(0,0,0,.18);',
    'font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:anywhere;animation:df-in .2s ease-out}',
    '.df-notification-title{display:block;margin-bottom:.25rem;font-weight:600}',
    '.df-notification-content{white-space:pre-line}',
    '.df-level-info{border-left-color:#0d6efd}.df-level-success{border-left-color:#198754}',
    '.df-level-danger{border-left-color:#dc3545}.df-level-warning{border-left-color:#ffc107}',
    '@keyframes df-in{from{opacity:0;transform:translateY(-.5rem)}}',
    '@media (prefers-reduced-motion:reduce){.df-notification{animation:none}}'
  ].join('');

  function createNotify(getDocument, setT, clearT) {
    return function notify(opts) {
      var doc = getDocument();
      if (!doc || typeof doc.createElement !== 'function') return; // no page (tests, workers)
      opts = opts || {};
      var parent = doc.body || doc.documentElement;
      if (!doc.getElementById('df-styles')) {
        var style = doc.createElement('style');
        style.id = 'df-styles';
        style.textContent = STYLES;
        (doc.head || parent).appendChild(style);
      }
      var box = doc.querySelector('div.df-notifications');
      if (!box) {
        box = doc.createElement('div');
        box.className = 'df-notifications';
        box.setAttribute('aria-live', 'polite');
        parent.appendChild(box);
      }
      // Every style renders as a notification for now (banner/modal/system come later).
      var level = LEVELS.indexOf(opts.level) >= 0 ? opts.level : 'info';
      var toast = doc.createElement('div');
      toast.className = 'df-notification df-level-' + level;
      toast.setAttribute('role', 'status');
      if (opts.title != null && opts.title !== '') {
        var title = doc.createElement('strong');
        title.className = 'df-notification-title';
        title.textContent = String(opts.title);
        toast.appendChild(title);
      }
      var content = doc.createElement('div');
      content.className = 'df-notification-content';
      content.textContent = opts.content == null ? '' : String(opts.content);
      toast.appendChild(content);
      box.appendChild(toast);

      var timer = null;
      function dismiss() {
        if (timer !== null) clearT(timer);
        timer = null;
        if (toast.parentNode) toast.parentNode.removeChild(toast);
      }
      toast.addEventListener('click', dismiss);
      var timeout = opts.timeout == null ? 5000 : Number(opts.timeout);
      if (!(timeout >= 0)) timeout = 5000;
      if (timeout > 0) timer = setT(dismiss, timeout);
    };
  }

  root.Switchboard = Object.freeze({ createClient: createClient, protocol: protocol, SignalError: SignalError });

  // ---------------------------------------------------------------------------------------------------
  // Page bootstrap: the default client `df`, configured by the init element the server writes.
  // ---------------------------------------------------------------------------------------------------
  if (typeof root.document === 'undefined') return;
  var doc = root.document;
  var df = createClient({ autoConnect: false });
  root.df = df;
  if (root.jQuery) root.jQuery.df = df;

  function boot() {
    if (root.jQuery && !root.jQuery.df) root.jQuery.df = df; // jQuery loaded after this script
    var element = doc.getElementById('switchboard-init');
    if (!element) {
      defaultLogger.info('Switchboard: no #switchboard-init element on this page; df works locally only.');
      df.close();
      return;
    }
    try {
      var init = JSON.parse(element.textContent);
      if (init.v != null && init.v !== protocol.version) {
        defaultLogger.warn('Switchboard: init element is for protocol v' + init.v + ', this client speaks v' + protocol.version);
      }
      df.start({ url: init.url, token: init.token });
    } catch (err) {
      defaultLogger.warn('Switchboard: cannot start from #switchboard-init', err);
      df.close();
    }
  }

  if (doc.getElementById('switchboard-init') || doc.readyState !== 'loading') boot();
  else doc.addEventListener('DOMContentLoaded', boot, { once: true });
})(typeof globalThis !== 'undefined' ? globalThis : this);
