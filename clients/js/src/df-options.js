/*
 * A client's options and its links to the outside world: default options, URL resolution, and the timers,
 * clock, random source and logger, each injectable through createClient's config so tests drive a client
 * without sleeping.
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

  const DEFAULT_OPTIONS = Object.freeze({
    bufferSize: 256,
    minReconnectDelay: 500,
    maxReconnectDelay: 20000,
    pongTimeout: 10000, // also bounds the wait for `hello` after the socket is created, and for `resumed`
    maxSeenIds: 1024,
    maxHeldFrames: 1000, // per topic, while a gap is being resumed (§7)
    invokeTimeout: 30000 // ms from df.invoke to its result, unless the invoke says {timeout}
  });

  // Relative URLs resolve against the page; http(s) becomes ws(s); ws(s) URLs pass through.
  function resolveUrl(url) {
    const base = root.location && root.location.href;
    const parsed = base ? new URL(url, base) : new URL(url);
    if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
    else if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
    if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new TypeError('Switchboard: not a WebSocket URL: ' + url);
    parsed.hash = '';
    return parsed.href;
  }

  // Quiet by default: only real problems reach the console.
  const defaultLogger = {
    debug: parts.noop,
    info: (...args) => console.info(...args),
    warn: (...args) => console.warn(...args)
  };

  // What a client's parts share from its config: {config, setT, clearT, random, now, logger, log, options}.
  function environment(config) {
    const logger = config.logger || defaultLogger;
    const options = {};
    for (const key of Object.keys(DEFAULT_OPTIONS)) options[key] = config[key] !== undefined ? config[key] : DEFAULT_OPTIONS[key];
    return {
      config,
      setT: config.setTimeout || ((fn, ms) => root.setTimeout(fn, ms)),
      clearT: config.clearTimeout || ((id) => root.clearTimeout(id)),
      random: config.random || Math.random,
      now: config.now || Date.now,
      logger,
      log: (level, ...args) => { if (logger && typeof logger[level] === 'function') logger[level](...args); },
      options
    };
  }

  parts.resolveUrl = resolveUrl;
  parts.defaultLogger = defaultLogger;
  parts.environment = environment;
})(typeof globalThis !== 'undefined' ? globalThis : this);
