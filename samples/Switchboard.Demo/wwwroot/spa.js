// The single-page app sample: sign in for a bearer token, get a window from the window endpoint, connect with
// accessTokenFactory, then the same signals as the rendered pages. Plain JS, no framework, no build step.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const log = (id, text) => {
    const li = document.createElement('li');
    li.textContent = text;
    $(id).appendChild(li);
  };
  const fail = (what) => (err) => log('errors', what + ': ' + (err.code || err.name) + (err.message ? ' (' + err.message + ')' : ''));
  let accessToken = null; // kept in memory only: a reload signs out

  df.connect('demo.echoed', (opts) => log('echo-log', String(opts.text)));
  df.connect('demo.chat.message', (opts) => log('chat-log', opts.from + ': ' + opts.text));
  df.onstate((ctx) => { $('status').textContent = ctx.state; });
  df.onclose((ctx) => { if (ctx.terminal && ctx.code !== 1000) log('errors', 'closed: ' + ctx.code + ' ' + ctx.reason); });
  df.onerror((ctx) => log('errors', (ctx.signal || '') + ': ' + ctx.code + ' (' + ctx.message + ')'));

  $('signin-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('signin-btn').disabled = true;
    try {
      const response = await fetch('/demo/token', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: $('signin-name').value })
      });
      if (!response.ok) throw new Error('HTTP ' + response.status + ' ' + (await response.text()));
      const signedIn = await response.json();
      accessToken = signedIn.token;
      $('user').textContent = signedIn.name;
      $('status').textContent = 'connecting';
      // The factory is asked on every (re)connect and window request: a real app returns a fresh token here.
      df.start({ windowEndpoint: '/switchboard/window?room=lobby', accessTokenFactory: () => accessToken });
      await df.ready;
      $('status').textContent = 'connected';
    } catch (err) {
      fail('sign in')(err);
      $('signin-btn').disabled = false;
    }
  });

  $('echo-btn').addEventListener('click', () => df.call('demo.echo', { text: $('echo-text').value }).catch(fail('demo.echo')));
  // df.fetch adds X-Switchboard-Window and the bearer token: the endpoint answers this window with a signal.
  $('fetch-btn').addEventListener('click', () => df.fetch('/demo/whoami', { method: 'POST' })
    .then((response) => { if (!response.ok) throw new Error('HTTP ' + response.status); })
    .catch(fail('df.fetch')));
  $('chat-form').addEventListener('submit', (e) => {
    e.preventDefault();
    df.call('demo.chat.post', { room: 'lobby', text: $('chat-text').value }).catch(fail('demo.chat.post'));
    $('chat-text').value = '';
  });
})();
