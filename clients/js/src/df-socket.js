/*
 * A client's connection: the WebSocket state machine (connect frame, `hello`, incoming frames), reconnect
 * with backoff, and the heartbeat. One socket at a time; `ws` is null between attempts. Frames are handed
 * to the other parts: answers to df-calls.js, signals and results through ordering (df-ordering.js) to the
 * handlers and to df-invoke.js.
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

  const { protocol, SignalError, isPlainObject } = parts;
  const FRAME = protocol.frameTypes;
  const CLOSE = protocol.closeCodes;
  const CLIENT = SignalError.clientCodes;

  // c: the client's shared parts (df-client.js): the environment (config, timers, clock, random, log,
  // options), c.events, c.calls, c.handlers, c.ordering, c.client.
  function createSocket(c) {
    const { config, setT, clearT, random, now, log, options } = c;
    let url = config.url || null;
    let token = config.token != null ? config.token : null;
    let started = false;
    let windowEndpoint = null; // df.start({ windowEndpoint }): where the url and token come from
    let closed = false;        // for good: no more sockets
    let ws = null;             // current socket; null between attempts
    let connected = false;     // `hello` received on the current socket
    let helloSeen = false;     // `hello` received at least once
    let attempt = 0;           // reconnect attempts since the last `hello`
    let allowed = null;        // Set of server-callable signals from the last `hello`; null before any
    let functions = null;      // Set of invokable functions from the last `hello`; null before any
    let heartbeat = 0;
    let lastSent = 0, lastReceived = 0, pingOutstanding = false;
    let reconnectTimer = null, handshakeTimer = null, idleTimer = null, pongTimer = null;

    let resolveReady, rejectReady;
    const ready = new Promise((resolve, reject) => { resolveReady = resolve; rejectReady = reject; });
    ready.catch(parts.noop); // a page that never awaits df.ready gets no unhandled-rejection noise

    function send(text) {
      if (!ws) return;
      try {
        ws.send(text);
        lastSent = now();
      } catch (err) {
        log('warn', 'Switchboard: send failed', err);
        drop(1006, 'send failed');
      }
    }

    function clearTimers() {
      for (const id of [handshakeTimer, idleTimer, pongTimer]) if (id !== null) clearT(id);
      handshakeTimer = idleTimer = pongTimer = null;
    }

    // Closes a socket we no longer listen to. Browsers only accept 1000 and 3000-4999 from a client.
    function release(sock, code, reason) {
      sock.onopen = sock.onmessage = sock.onclose = sock.onerror = null;
      try { sock.close(code >= 3000 && code <= 4999 ? code : CLOSE.normal, reason); } catch (err) { /* already closed */ }
    }

    // Every (re)connect asks accessTokenFactory again (df-window.js): a token that expired meanwhile is replaced.
    function openSocket() {
      reconnectTimer = null;
      if (closed) return;
      c.access.accessToken((access) => { if (!closed && ws === null) openSocketWith(access); }, (err) => {
        if (closed) return;
        log('warn', 'Switchboard: accessTokenFactory failed; trying again', err);
        scheduleReconnect();
      });
    }

    function openSocketWith(access) {
      let sock;
      try {
        sock = new (config.WebSocket || root.WebSocket)(c.access.socketUrl(url, access));
      } catch (err) {
        log('warn', 'Switchboard: cannot open the WebSocket', err);
        scheduleReconnect();
        return;
      }
      ws = sock;
      connected = false;
      sock.onopen = () => {
        if (ws !== sock) return;
        const frame = { type: FRAME.connect, v: protocol.version, token };
        const resume = helloSeen ? c.ordering.resumeFrame() : null; // §7: replay what this window missed
        if (resume) frame.resume = resume;
        send(JSON.stringify(frame));
      };
      sock.onmessage = (event) => { if (ws === sock) receive(event.data); };
      sock.onclose = (event) => { if (ws === sock) lost(event.code, event.reason); };
      sock.onerror = () => log('debug', 'Switchboard: WebSocket error'); // a close event follows
      handshakeTimer = setT(() => { handshakeTimer = null; drop(CLOSE.handshakeTimeout, 'no hello from the server'); }, options.pongTimeout);
    }

    // We give up on the current socket ourselves (dead or stuck): close it and act as if it had closed.
    function drop(code, reason) {
      if (!ws) return;
      const sock = ws;
      ws = null;
      release(sock, code, reason);
      lost(code, reason);
    }

    function lost(code, reason) {
      if (ws) ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      ws = null;
      connected = false;
      pingOutstanding = false;
      clearTimers();
      c.ordering.disconnected();
      c.calls.failPending('The connection was lost before the server answered; the call may or may not have been queued.');
      // §5: 4000-4099 are terminal (never reconnect with this token), except 4008 which the table lists
      // as "reconnect": a handshake that came too late says nothing about the token.
      const terminal = code >= 4000 && code <= 4099 && code !== CLOSE.handshakeTimeout;
      c.events.emit('close', { code, reason: reason || '', terminal });
      if (closed) return; // a close listener called close()
      if (terminal) {
        log('warn', 'Switchboard: connection closed for good (' + code + (reason ? ' ' + reason : '') + '); reload the page.');
        shutdown();
        return;
      }
      c.events.setState(helloSeen ? 'reconnecting' : 'connecting');
      scheduleReconnect();
    }

    // Full-jitter exponential backoff: random(0, min(max, base * 2^attempt)).
    function scheduleReconnect(next) {
      const cap = Math.min(options.maxReconnectDelay, options.minReconnectDelay * Math.pow(2, Math.min(attempt, 30)));
      attempt++;
      reconnectTimer = setT(next || openSocket, Math.floor(random() * cap));
    }

    // df.start({ windowEndpoint }): the window comes from the endpoint, then the socket opens. A refusal (401, 403…)
    // ends the client as a refused token does (4001, terminal); a network or server error is tried again with backoff.
    function requestWindow() {
      reconnectTimer = null;
      if (closed) return;
      c.access.requestWindow(windowEndpoint).then((init) => {
        if (closed) return;
        url = init.url;
        token = init.token;
        openSocket();
      }, (err) => {
        if (closed) return;
        if (!err || !err.terminal) {
          log('warn', 'Switchboard: cannot get a window (' + (err && err.message) + '); trying again');
          scheduleReconnect(requestWindow);
          return;
        }
        log('warn', 'Switchboard: no window: ' + err.message);
        c.events.emit('close', { code: CLOSE.invalidToken, reason: err.message, terminal: true });
        if (!closed) shutdown();
      });
    }

    function shutdown() {
      closed = true;
      if (reconnectTimer !== null) clearT(reconnectTimer);
      reconnectTimer = null;
      clearTimers();
      c.calls.failBuffered();
      c.invokes.failSent();
      if (!helloSeen) rejectReady(new SignalError(CLIENT.closed, 'The Switchboard client closed before connecting.'));
      c.events.setState('closed');
    }

    // --- heartbeat ---
    // Ping when nothing was sent (the server must hear from us) or nothing was received (we must know
    // the server is alive) for `heartbeat` ms; no frame within pongTimeout after it = dead connection.
    // The idle timer is not re-armed on every frame: when it fires early it re-arms for the time left.
    function armIdle() {
      if (!connected || !heartbeat || idleTimer !== null || pingOutstanding) return;
      idleTimer = setT(onIdle, Math.max(0, Math.min(lastSent, lastReceived) + heartbeat - now()));
    }
    function onIdle() {
      idleTimer = null;
      if (!connected) return;
      if (Math.min(lastSent, lastReceived) + heartbeat > now()) { armIdle(); return; }
      pingOutstanding = true;
      pongTimer = setT(() => { pongTimer = null; drop(CLOSE.heartbeatTimeout, 'no pong from the server'); }, options.pongTimeout);
      send('{"type":"ping"}');
    }

    // --- incoming frames ---
    function receive(data) {
      lastReceived = now();
      if (pongTimer !== null) { clearT(pongTimer); pongTimer = null; } // any frame proves the server alive
      pingOutstanding = false;
      armIdle();
      if (typeof data !== 'string') { log('debug', 'Switchboard: ignored a binary frame'); return; }
      let frame;
      try { frame = JSON.parse(data); } catch (err) { log('warn', 'Switchboard: ignored a frame that is not JSON'); return; }
      if (!isPlainObject(frame)) return;
      switch (frame.type) {
        case FRAME.hello: onHello(frame); break;
        case FRAME.signal: onSignal(frame); break;
        // Results: a refusal (no pos) settles at once; a worker's result is sequenced in the window's topic (§7).
        case FRAME.result: c.ordering.receive(frame); break;
        // Server code changed the window's topics: ordered like a signal, then the ids it adds are tracked (§7).
        case FRAME.topics: c.ordering.receive(frame); break;
        case FRAME.resumed: if (connected && typeof frame.id === 'number') c.ordering.resumed(frame.id, frame.recovered === true); break;
        case FRAME.accepted: c.calls.onAnswer(frame, true); break;
        case FRAME.refused: c.calls.onAnswer(frame, false); break;
        // Errors of a call's handlers are sequenced in the window's topic (they survive a reconnect): ordered too.
        case FRAME.error: if (isPlainObject(frame.pos)) c.ordering.receive(frame); else c.calls.onError(frame); break;
        case FRAME.token: onToken(frame); break;
        default: break; // pong, and frame types of later versions
      }
    }

    function onHello(frame) {
      const signals = Array.isArray(frame.signals) ? frame.signals.filter((s) => typeof s === 'string') : [];
      allowed = new Set(signals);
      functions = new Set(Array.isArray(frame.functions) ? frame.functions.filter((s) => typeof s === 'string') : []);
      heartbeat = typeof frame.heartbeat === 'number' && frame.heartbeat > 0 ? frame.heartbeat : 0;
      if (connected) return; // a repeated hello only updates the list
      if (handshakeTimer !== null) { clearT(handshakeTimer); handshakeTimer = null; }
      const attempts = attempt;
      const first = !helloSeen;
      attempt = 0;
      connected = helloSeen = true;
      // §7: null without connect.resume, true when the server replayed everything missed, false when not.
      const recovered = typeof frame.recovered === 'boolean' ? frame.recovered : null;
      const lostTopics = c.ordering.hello(frame.pos, recovered);
      c.events.setState('connected');
      armIdle();
      c.calls.sendBuffered();
      if (first) resolveReady();
      else c.events.emit('reconnect', { attempts, signals: signals.slice(), recovered });
      if (lostTopics) c.handlers.resync(lostTopics);
    }

    // §3/§6: a connected window is sent a new token before its own expires; every later (re)connect uses it, so a
    // page open longer than the token lifetime still reconnects (the init element's token is only the first).
    function onToken(frame) {
      if (typeof frame.token !== 'string' || frame.token === '') { log('debug', 'Switchboard: ignored a token frame without a token'); return; }
      token = frame.token;
    }

    function onSignal(frame) {
      if (!parts.checkName(frame.signal)) { log('debug', 'Switchboard: ignored a signal frame with a bad name'); return; }
      c.ordering.receive(frame); // runs it now, or once the frames before it in its topics have run
    }

    // --- public lifecycle ---
    function start(init) {
      if (started || closed) {
        if (init) log('warn', 'Switchboard: df.start ignored: this client is already ' + (closed ? 'closed' : 'started (by the page\'s init element or an earlier start)') + '.');
        return c.client;
      }
      if (init && init.accessTokenFactory !== undefined) c.access.setFactory(init.accessTokenFactory);
      if (init && init.windowEndpoint != null) {
        if (typeof init.windowEndpoint !== 'string') throw new TypeError('Switchboard: windowEndpoint must be a URL string');
        c.access.resolveEndpoint(init.windowEndpoint); // fail now on a bad URL
        c.access.checkFetch();
        if (typeof (config.WebSocket || root.WebSocket) !== 'function') throw new TypeError('Switchboard: no WebSocket implementation');
        windowEndpoint = init.windowEndpoint;
        started = true;
        requestWindow();
        return c.client;
      }
      if (init && init.url) url = init.url;
      if (init && init.token != null) token = init.token;
      if (!url) throw new TypeError('Switchboard: no url to connect to');
      if (typeof token !== 'string') throw new TypeError('Switchboard: no window token');
      if (typeof (config.WebSocket || root.WebSocket) !== 'function') throw new TypeError('Switchboard: no WebSocket implementation');
      parts.resolveUrl(url); // fail now on a bad URL rather than on every reconnect
      started = true;
      openSocket();
      return c.client;
    }

    function close() {
      if (closed) return;
      if (ws) release(ws, CLOSE.normal, 'client closed');
      ws = null;
      connected = false;
      clearTimers();
      c.ordering.disconnected();
      c.calls.failPending('The client closed before the server answered; the call may or may not have been queued.');
      if (started) c.events.emit('close', { code: CLOSE.normal, reason: 'client closed', terminal: true });
      shutdown();
    }

    return {
      get connected() { return connected; },
      get closed() { return closed; },
      get allowed() { return allowed; },
      get functions() { return functions; },
      get started() { return started; },
      get url() { return url; },
      get token() { return token; }, // the current window token (for X-Switchboard-Window)
      ready,
      send,
      start,
      close
    };
  }

  parts.createSocket = createSocket;
})(typeof globalThis !== 'undefined' ? globalThis : this);
