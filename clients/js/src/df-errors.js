/*
 * SignalError: the one error type a call or an invoke rejects with. `code` is a protocol error code (§4) or one
 * of the client codes below, which tell whether the call may have reached the server.
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

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
    closed: 'closed',             // the client closed for good: a call was never sent; an invoke may have been
    timeout: 'timeout'            // an invoke got no result within its timeout (it may have run, or still run)
  });

  parts.SignalError = SignalError;
})(typeof globalThis !== 'undefined' ? globalThis : this);
