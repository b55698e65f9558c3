// The demo page's browser side: one handler per server signal, one button per call.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const log = (id, text) => {
    const li = document.createElement('li');
    li.textContent = text;
    $(id).appendChild(li);
  };
  const call = (signal, opts, logId) =>
    df.call(signal, opts).catch((err) => {
      log('errors', signal + ': ' + err.code + (err.message ? ' (' + err.message + ')' : ''));
      if (logId) log(logId, 'refused: ' + err.code);
    });

  df.connect('demo.echoed', (opts) => log('echo-log', opts.delayed ? 'delayed (' + opts.seconds + ' s)' : String(opts.text)));
  // Lines of a room joined later (demo.chat.join) say which room they are from.
  const pageRoom = () => ($('chat') ? $('chat').dataset.room : null);
  df.connect('demo.chat.message', (opts) => log('chat-log', (opts.room !== pageRoom() ? '[' + opts.room + '] ' : '') + opts.from + ': ' + opts.text));
  df.connect('demo.chat.joined', (opts) => log('joined-rooms', String(opts.room)));
  // A terminal close (4003: signed out on /logout, in this tab or another) is reported, the page does not reconnect.
  df.onclose((ctx) => { if (ctx.terminal) $('close-info').textContent = '(closed ' + ctx.code + (ctx.reason ? ': ' + ctx.reason : '') + ')'; });
  df.connect('demo.user.pinged', (opts) => log('ping-log', 'pinged by ' + opts.from));
  df.connect('demo.broadcasted', (opts) => log('broadcast-log', String(opts.text)));
  df.connect('demo.progress', (opts) => {
    $('slow-progress').max = opts.steps;
    $('slow-progress').value = opts.step;
    $('slow-status').textContent = opts.step + '/' + opts.steps;
  });
  df.connect('demo.staff_done', (opts) => log('staff-log', 'done by ' + opts.by));
  df.onerror((ctx) => log('errors', (ctx.signal || '') + ': ' + ctx.code + ' (' + ctx.message + ')'));
  df.onstate((ctx) => { $('status').textContent = ctx.state; });
  df.ready.then(() => { $('status').textContent = 'connected'; });

  $('echo-btn').addEventListener('click', () => call('demo.echo', { text: $('echo-text').value }));
  $('delayed-btn').addEventListener('click', () => call('demo.delayed', { seconds: Number($('delay-seconds').value) }));
  $('broadcast-btn').addEventListener('click', () => call('demo.broadcast', { text: $('broadcast-text').value }));
  $('ping-btn').addEventListener('click', () => call('demo.user.ping', {}, 'ping-log'));
  $('slow-btn').addEventListener('click', () => call('demo.slow', { steps: 5 }));
  $('staff-btn').addEventListener('click', () => call('demo.staff_only', {}, 'staff-log'));
  $('theme-btn').addEventListener('click', () => call('demo.theme', {}));
  $('dead-letter-btn').addEventListener('click', () => call('demo.dead_letter', { note: $('dead-letter-note').value }, 'dead-letter-log'));
  df.connect('demo.dead_letter.ran', (opts) => log('dead-letter-log', 'ran: ' + opts.note));
  // Remote functions: df.invoke resolves with the return value, or rejects with a SignalError (code, message).
  const showResult = (promise) => {
    $('calc-result').textContent = '…';
    return promise.then(
      (value) => { $('calc-result').textContent = String(value); },
      (err) => { $('calc-result').textContent = 'error: ' + err.code + ' (' + err.message + ')'; });
  };
  const operands = () => ({ a: Number($('calc-a').value), b: Number($('calc-b').value) });
  $('calc-btn').addEventListener('click', () => showResult(df.invoke('demo.add', operands())));
  // The same call through the DjangoFloor-style proxy (and $.dfws.demo.add(...) with jQuery).
  $('calc-fn-btn').addEventListener('click', () => showResult(df.fn.demo.add(operands())));
  $('fail-btn').addEventListener('click', () => showResult(df.fn.demo.fail()));
  const chat = $('chat');
  // Presence (docs/presence.md): who is in this room, sent when its users change and to each window that joins it. A
  // room is a record, so the signal's topic is the room's key, which the server wrote into data-room-topic.
  df.connect('switchboard.presence', (opts) => {
    if (!chat || opts.topic !== chat.dataset.roomTopic) return;
    const names = opts.users.map((u) => u.name);
    if (opts.anonymous > 0) names.push('anonymous');
    names.sort();
    $('members').textContent = names.join(', ');
  });
  if (chat) {
    $('chat-form').addEventListener('submit', (e) => {
      e.preventDefault();
      call('demo.chat.post', { room: chat.dataset.room, text: $('chat-text').value });
      $('chat-text').value = '';
    });
    $('join-form').addEventListener('submit', (e) => {
      e.preventDefault();
      call('demo.chat.join', { room: $('join-room').value }, 'joined-rooms');
      $('join-room').value = '';
    });
  }
})();
