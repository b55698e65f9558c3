// ES module entry. The client's parts are classic scripts (no import/export) that share an internal namespace
// and end by publishing globalThis.Switchboard and, in a page, globalThis.df; this file runs them in the order
// of parts.json (test/parts.test.js checks both lists agree) and re-exports what they publish.
// Typings: ../types/df.d.ts. The server serves /switchboard/df.mjs with these imports replaced by one
// `import './df.js'`, its concatenation of the same parts (ClientScripts in src/Switchboard).
import './df-namespace.js';
import './df-protocol.js';
import './df-errors.js';
import './df-options.js';
import './df-ordering.js';
import './df-events.js';
import './df-handlers.js';
import './df-calls.js';
import './df-invoke.js';
import './df-socket.js';
import './df-window.js';
import './df-client.js';
import './df-builtins-dom.js';
import './df-builtins-html.js';
import './df-builtins-modal.js';
import './df-builtins-notify.js';
import './df-builtins-bindings.js';
import './df-builtins.js';
import './df-boot.js';

export const df = globalThis.df;
export const createClient = globalThis.Switchboard.createClient;
export const protocol = globalThis.Switchboard.protocol;
export const SignalError = globalThis.Switchboard.SignalError;
export const registerBuiltins = globalThis.Switchboard.registerBuiltins;
export default df;
