// ES module entry: df.js is a classic script (no import/export) that publishes globalThis.Switchboard
// and, in a page, globalThis.df; this file re-exports them. Typings: ../types/df.d.ts.
import './df.js';

export const df = globalThis.df;
export const createClient = globalThis.Switchboard.createClient;
export const protocol = globalThis.Switchboard.protocol;
export const SignalError = globalThis.Switchboard.SignalError;
export default df;
