// The page of the built-in tests: a minimal DOM, a client with the built-ins registered, a connected fake socket.
import { setup, handshake, registerBuiltins } from './fakes.js';
import { createDom } from './dom.js';

export function page(body = '', { Notification, hello = {} } = {}) {
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
