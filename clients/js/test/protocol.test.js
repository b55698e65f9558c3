// The protocol constants must list exactly what docs/protocol.md defines (the C# side is checked
// against the same object by ProtocolParityTests).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { protocol, SignalError } from '../testing/fakes.js';

const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');

function section(title) {
  const start = doc.indexOf(title);
  assert.ok(start >= 0, `protocol.md has a section "${title}"`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}
// First cell of each table row, header row (`| type |`, `| code |`) excluded.
const firstColumn = (text) => [...text.matchAll(/^\| `?([\w.]+)`? \|/gm)].map((m) => m[1]).filter((c) => c !== 'type' && c !== 'code');
const camel = (code) => code.replace(/_(\w)/g, (_, c) => c.toUpperCase());

test('protocol is frozen all the way down', () => {
  assert.ok(Object.isFrozen(protocol));
  for (const key of ['frameTypes', 'errorCodes', 'closeCodes', 'builtinSignals']) assert.ok(Object.isFrozen(protocol[key]), key);
  assert.equal(protocol.version, 1);
});

test('frame types are exactly those of protocol.md §2 and §3', () => {
  const types = [...firstColumn(section('## 2. Client')), ...firstColumn(section('## 3. Server'))];
  assert.deepEqual(Object.values(protocol.frameTypes).sort(), [...new Set(types)].sort());
  for (const [key, value] of Object.entries(protocol.frameTypes)) assert.equal(key, value);
  assert.deepEqual(Object.keys(protocol.frameTypes).sort(), [
    'accepted', 'call', 'connect', 'error', 'hello', 'invoke', 'ping', 'pong', 'refused', 'result', 'resume', 'resumed', 'signal',
    'token', 'topics',
  ]); // §7 added resume (client → server) and resumed (server → client); remote functions invoke and result; windows
  // under server control topics (docs/windows.md) and token
});

test('error codes are exactly those of protocol.md §4, keyed in camelCase', () => {
  const codes = firstColumn(section('## 4. Error codes'));
  assert.equal(codes.length, 11);
  assert.deepEqual(protocol.errorCodes, Object.fromEntries(codes.map((c) => [camel(c), c])));
  assert.equal(protocol.errorCodes.badFrame, 'bad_frame');
});

test('close codes are exactly those of protocol.md §5', () => {
  const codes = firstColumn(section('## 5. Close codes')).map(Number);
  assert.deepEqual(Object.values(protocol.closeCodes).sort((a, b) => a - b), codes.sort((a, b) => a - b));
  assert.deepEqual(protocol.closeCodes, {
    normal: 1000, goingAway: 1001, frameTooLarge: 1009, internalError: 1011, invalidToken: 4001,
    unsupportedVersion: 4002, closedByServer: 4003, handshakeTimeout: 4008, binaryFrame: 4009, tooManyCalls: 4029, heartbeatTimeout: 4100,
    slowConsumer: 4101,
  });
});

const BUILTINS = [
  'html.after', 'html.append', 'html.prepend', 'html.before', 'html.content', 'html.replace_with', 'html.empty',
  'html.remove', 'html.add_class', 'html.remove_class', 'html.remove_attr', 'html.add_attribute',
  'html.boolean_attribute', 'html.text', 'html.download_file', 'html.focus', 'html.forms.set', 'html.fade_in',
  'html.fade_out', 'html.fade_to', 'html.fade_toggle', 'html.hide', 'html.show', 'html.toggle', 'html.trigger',
  'html.val', 'df.notify', 'df.modal.show', 'df.modal.hide',
];

test('built-in signals and plain-data serialization', () => {
  assert.deepEqual(protocol.builtinSignals, BUILTINS);
  assert.deepEqual(JSON.parse(JSON.stringify(protocol)), {
    version: 1,
    frameTypes: { ...protocol.frameTypes },
    errorCodes: { ...protocol.errorCodes },
    closeCodes: { ...protocol.closeCodes },
    builtinSignals: BUILTINS,
  });
});

test('SignalError carries code, message, signal and id', () => {
  const err = new SignalError('forbidden', 'nope', { signal: 'a.b', id: 3 });
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'SignalError');
  assert.equal(err.code, 'forbidden');
  assert.equal(err.message, 'nope');
  assert.equal(err.signal, 'a.b');
  assert.equal(err.id, 3);
  assert.equal(new SignalError('closed').message, 'closed');
  assert.deepEqual({ ...SignalError.clientCodes }, { disconnected: 'disconnected', bufferFull: 'buffer_full', closed: 'closed', timeout: 'timeout' });
});
