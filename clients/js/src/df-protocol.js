/*
 * The protocol constants (docs/protocol.md) and the signal-name rule. Defined once on this side:
 * ProtocolParityTests prints them with `node -e` and compares with the C# side, so this stays a plain frozen
 * data object that exists without a DOM.
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

  const deepFreeze = (value) => {
    for (const key of Object.keys(value)) if (value[key] && typeof value[key] === 'object') deepFreeze(value[key]);
    return Object.freeze(value);
  };

  const protocol = deepFreeze({
    version: 1,
    frameTypes: {
      connect: 'connect', call: 'call', invoke: 'invoke', ping: 'ping', resume: 'resume',
      hello: 'hello', signal: 'signal', result: 'result', resumed: 'resumed', accepted: 'accepted', refused: 'refused',
      error: 'error', pong: 'pong', topics: 'topics', token: 'token'
    },
    errorCodes: {
      badFrame: 'bad_frame', unknownFrame: 'unknown_frame', invalidSignalName: 'invalid_signal_name',
      unknownSignal: 'unknown_signal', forbidden: 'forbidden', kwargsTooLarge: 'kwargs_too_large',
      badArguments: 'bad_arguments', handlerFailed: 'handler_failed', expired: 'expired', unavailable: 'unavailable',
      rateLimited: 'rate_limited'
    },
    closeCodes: {
      normal: 1000, goingAway: 1001, frameTooLarge: 1009, internalError: 1011,
      invalidToken: 4001, unsupportedVersion: 4002, closedByServer: 4003, handshakeTimeout: 4008, binaryFrame: 4009, tooManyCalls: 4029,
      heartbeatTimeout: 4100, slowConsumer: 4101
    },
    // Browser signals registered by df-builtins.js (docs/builtins.md); C#: Switchboard.BuiltinSignals.
    builtinSignals: [
      'html.after', 'html.append', 'html.prepend', 'html.before', 'html.content', 'html.replace_with',
      'html.empty', 'html.remove', 'html.add_class', 'html.remove_class', 'html.remove_attr',
      'html.add_attribute', 'html.boolean_attribute', 'html.text', 'html.download_file', 'html.focus',
      'html.forms.set', 'html.fade_in', 'html.fade_out', 'html.fade_to', 'html.fade_toggle', 'html.hide',
      'html.show', 'html.toggle', 'html.trigger', 'html.val',
      'df.notify', 'df.modal.show', 'df.modal.hide'
    ]
  });

  // A valid signal name (§4, invalid_signal_name): dotted identifiers. Checked before anything is sent or run.
  const NAME_RE = /^[_a-zA-Z]\w*(\.[_a-zA-Z]\w*)*$/;

  parts.protocol = protocol;
  parts.checkName = (name) => typeof name === 'string' && NAME_RE.test(name);
})(typeof globalThis !== 'undefined' ? globalThis : this);
