/*
 * Switchboard browser client, wire protocol v1 (docs/protocol.md). Typings: types/df.d.ts.
 *
 * The client is a set of small classic scripts (no import/export, no dependencies, no build step), run in the
 * order of parts.json: the server concatenates them into /switchboard/df.js, and src/df.mjs imports them one
 * by one. They share one internal namespace, globalThis[Symbol.for('switchboard.parts')]: each part adds what
 * it defines, and the last one (df-boot.js) publishes the public surface
 * globalThis.Switchboard = { createClient, protocol, SignalError, registerBuiltins } and, in a page, the
 * default client globalThis.df, then freezes the namespace.
 *
 * This first part opens that namespace. A symbol key keeps it off Object.keys(globalThis) and out of the
 * public Switchboard object, whose members stay exactly the documented ones.
 */
(function (root) {
  'use strict';

  const KEY = Symbol.for('switchboard.parts');
  // Loaded twice (classic script and module on one page): keep the first copy, so there is one socket. The
  // second copy finds a namespace already there (frozen once complete), or a Switchboard published by an
  // older single-file df.js; its parts then find no open namespace and do nothing.
  if (root[KEY] || (root.Switchboard && root.Switchboard.protocol)) return;

  Object.defineProperty(root, KEY, {
    value: {
      // Helpers the parts share.
      noop: () => {},
      isPlainObject: (value) => value !== null && typeof value === 'object' && !Array.isArray(value),
      // A frame's string field, or the fallback when the server sent something else.
      str: (value, fallback) => (typeof value === 'string' ? value : fallback)
    }
  });
})(typeof globalThis !== 'undefined' ? globalThis : this);
