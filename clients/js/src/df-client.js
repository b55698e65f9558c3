/*
 * createClient: one independent client, wired from the parts before it. `c` holds what those parts share:
 * the environment of df-options.js (config, timers, clock, random, logger, options) and each part of this
 * client (events, handlers, calls, socket, ordering, and the public client object). A part reaches the others
 * through `c` when it runs, never at creation, so they may call each other whatever order they are made in.
 * Everything touching the outside world is injectable, so tests drive a client without sleeping.
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

  const protocol = parts.protocol;
  const FRAME = protocol.frameTypes;

  function createClient(config) {
    config = config || {};
    const c = parts.environment(config);
    c.events = parts.createEvents(c);     // df-events.js: state and lifecycle listeners
    c.handlers = parts.createHandlers(c); // df-handlers.js: the browser handler table
    c.calls = parts.createCalls(c);       // df-calls.js: df.call and the server's answers
    c.invokes = parts.createInvokes(c);   // df-invoke.js: df.invoke, df.fn and `result` frames
    c.socket = parts.createSocket(c);     // df-socket.js: WebSocket, reconnect, heartbeat
    c.access = parts.createWindowAccess(c); // df-window.js: access token, window endpoint, window header
    c.ordering = parts.createOrdering({   // df-ordering.js: positions, gaps, resume (§7)
      run(frame) {
        // A handler's error report is sequenced like a signal (df-socket.js receive) but settles nothing;
        // a result settles its invoke and never runs browser handlers.
        // A `topics` frame has done its work in the ordering (the tracked ids); it runs no handler.
        if (frame.type === FRAME.topics) return;
        if (frame.type === FRAME.error) c.calls.onError(frame);
        else if (frame.type === FRAME.result) c.invokes.onResult(frame);
        else c.handlers.runSignal(frame);
      },
      live: () => c.socket.connected,
      // Resume ids share the counter of call ids: one sequence of ids per connection, whatever the frame.
      sendResume: (pos) => { const id = c.calls.nextId(); c.socket.send(JSON.stringify({ type: FRAME.resume, id, pos })); return id; },
      resync: c.handlers.resync,
      setTimeout: c.setT,
      clearTimeout: c.clearT,
      options: c.options
    });

    const client = c.client = {
      get state() { return c.events.state; },
      get positions() { return c.ordering.snapshot(); },
      options: c.options,
      protocol,
      ready: c.socket.ready,
      connect: c.handlers.connect,
      disconnect: c.handlers.disconnect,
      call: c.calls.call,
      invoke: c.invokes.invoke,
      fn: c.invokes.fn,
      start: c.socket.start,
      close: c.socket.close,
      fetch: c.access.fetch,
      windowHeaders: c.access.windowHeaders,
      onreconnect: c.events.subscriber('reconnect'),
      onclose: c.events.subscriber('close'),
      onerror: c.events.subscriber('error'),
      onstate: c.events.subscriber('state')
    };

    // The built-in browser signals (df-builtins*.js) are registered through connect() like any app handler.
    // Read when called, as they are defined by later parts; the page's default client gets them in df-boot.js.
    const builtins = parts.registerBuiltins;
    if (config.builtins !== false && typeof builtins === 'function') {
      builtins(client, config.document || root.document, { setTimeout: c.setT, clearTimeout: c.clearT, logger: c.logger, bindForms: false });
    }
    internals.set(client, c);
    if (config.autoConnect !== false) c.socket.start();
    return client;
  }

  // A client's shared parts, for the page bootstrap (df-boot.js), which must know whether the page started df itself.
  const internals = new WeakMap();
  parts.internalsOf = (client) => internals.get(client);

  parts.createClient = createClient;
})(typeof globalThis !== 'undefined' ? globalThis : this);
