// ES module entry: df.js and df-builtins.js are classic scripts (no import/export) that publish
// globalThis.Switchboard and, in a page, globalThis.df; this file re-exports them. Typings: ../types/df.d.ts.
// (The server's /switchboard/df.js already ends with the built-ins; importing df-builtins.js again is a no-op.)
import './df.js';
import './df-builtins.js';

export const df = globalThis.df;
export const createClient = globalThis.Switchboard.createClient;
export const protocol = globalThis.Switchboard.protocol;
export const SignalError = globalThis.Switchboard.SignalError;
export const registerBuiltins = globalThis.Switchboard.registerBuiltins;
export default df;
