// End-to-end: the operator dashboard (docs/operations.md, Dashboard) in the demo, staff only. It updates itself over
// its own window; a staff user sees dead letters with their error, requeues one (it runs again and reaches the page
// that called it) and deletes one, each after a confirmation; cancelling changes nothing. Anonymous gets 401 and
// another user 403, without the data. The page loads nothing from outside the demo and fits a phone's width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TIMEOUT, startEnvironment, click, demoRoomKey, openConnected, waitForItem, waitForText, unique, withDiagnostics, closeAfter } from './support/browser.mjs';

let env;
before(async () => { env = await startEnvironment(); });
after(async () => { if (env) await env.close(); });

const DASHBOARD = '/switchboard/dashboard';
const ENDPOINTS = [['get', DASHBOARD], ['get', DASHBOARD + '/state'], ['post', DASHBOARD + '/dead-letters/requeue'], ['post', DASHBOARD + '/dead-letters/delete']];

async function statuses(context) {
  const result = [];
  for (const [method, path] of ENDPOINTS) {
    const response = await context.request[method](path, method === 'post' ? { data: { queue: 'default', all: true } } : {});
    const body = await response.text();
    assert.doesNotMatch(body, /deadLetter|Switchboard dashboard/, `${path} leaked data`);
    result.push(response.status());
  }
  return result;
}

test('anonymous gets 401 and a user who is not staff 403, never the data', withDiagnostics(() => env, async (t) => {
  const [anonymous, alice] = closeAfter(t, await env.newContext(), await env.newContext());
  assert.deepEqual(await statuses(anonymous), [401, 401, 401, 401]);
  await openConnected(alice, '/login?name=alice');
  assert.deepEqual(await statuses(alice), [403, 403, 403, 403]);
}));

test('staff see dead letters live, requeue and delete one or all, after confirming', withDiagnostics(() => env, async (t) => {
  const [context] = closeAfter(t, await env.newContext());
  const home = await openConnected(context, '/login?name=bob&staff=true');
  const requested = [];
  const dashboard = await context.newPage();
  dashboard.on('request', (r) => requested.push(r.url()));
  await dashboard.setViewportSize({ width: 375, height: 740 });
  await dashboard.goto(DASHBOARD, { timeout: TIMEOUT });
  await dashboard.waitForFunction(() => document.getElementById('live').dataset.state === 'connected', null, { timeout: TIMEOUT, polling: 50 });

  // Two dead letters made while the dashboard is open: they appear without a reload.
  const [a, b] = [unique('requeue-me'), unique('delete-me')];
  for (const note of [a, b]) {
    await home.fill('#dead-letter-note', note);
    await click(home, '#dead-letter-btn');
  }
  const row = (note) => dashboard.locator('tr[data-dead-letter]').filter({ hasText: `(${note})` });
  await dashboard.bringToFront();
  await row(a).waitFor({ timeout: TIMEOUT });
  await row(b).waitFor({ timeout: TIMEOUT });
  assert.match(await row(a).locator('td.reason').textContent(), /fails once on purpose/);
  assert.match(await dashboard.locator('#nodes tbody').textContent(), /\//, 'the node list shows this node');
  assert.notEqual(await dashboard.locator('#queues tr[data-queue="default"]').count(), 0);

  // A chat room is a record: its topic reads as its key (type and canonical JSON), also in its title, with presence.
  const room = unique('room');
  const key = demoRoomKey(room);
  const chat = await openConnected(context, `/chat/${room}`);
  assert.equal(await chat.getAttribute('#chat', 'data-room-topic'), key);
  await dashboard.bringToFront();
  const topicRow = dashboard.locator('#topics tr').filter({ has: dashboard.locator(`td[title=${JSON.stringify(key)}]`) });
  const topic = topicRow.locator('td').first();
  await topic.waitFor({ timeout: TIMEOUT });
  assert.equal(await topicRow.getAttribute('data-topic'), key);
  assert.equal((await topic.textContent()).trim(), key);
  // Presence is on for chat rooms whatever the serializer (DemoBackend.cs): the row says who is there.
  await topicRow.locator('td').last().filter({ hasText: /, 1 window$/ }).waitFor({ timeout: TIMEOUT });

  // Cancel: nothing happens.
  await row(b).locator('button[data-action="delete"]').click();
  await dashboard.locator('#confirm-cancel').click();
  assert.equal(await row(b).count(), 1);

  // Requeue: the job runs again, succeeds this time, and tells the page that called it.
  await row(a).locator('button[data-action="requeue"]').click();
  assert.match(await dashboard.locator('#confirm-text').textContent(), /^Requeue dead letter .* of queue default\?$/);
  await dashboard.locator('#confirm-ok').click();
  await waitForText(dashboard, '#status', 'Requeued 1 dead letter of default.');
  await waitForItem(home, '#dead-letter-log', 'ran: ' + a);
  await dashboard.bringToFront();
  await row(a).waitFor({ state: 'detached', timeout: TIMEOUT });

  // Delete: gone for good.
  await row(b).locator('button[data-action="delete"]').click();
  await dashboard.locator('#confirm-ok').click();
  await waitForText(dashboard, '#status', 'Deleted 1 dead letter of default.');
  await row(b).waitFor({ state: 'detached', timeout: TIMEOUT });
  const state = await (await context.request.get(DASHBOARD + '/state')).json();
  assert.equal(state.queues.find((q) => q.name === 'default').deadLetters, 0);

  // All at once: "Requeue all" (both run again) and "Delete all", each confirmed.
  const makeLetters = async (...notes) => {
    for (const note of notes) {
      await home.fill('#dead-letter-note', note);
      await click(home, '#dead-letter-btn');
    }
    await dashboard.bringToFront();
    for (const note of notes) await row(note).waitFor({ timeout: TIMEOUT });
  };
  const [c, d] = [unique('requeue-all'), unique('requeue-all')];
  await makeLetters(c, d);
  await dashboard.locator('.queue-letters[data-queue="default"] button[data-action="requeue"][data-all="true"]').click();
  assert.equal(await dashboard.locator('#confirm-text').textContent(), 'Requeue every dead letter of queue default?');
  await dashboard.locator('#confirm-ok').click();
  await waitForText(dashboard, '#status', 'Requeued 2 dead letters of default.');
  await waitForItem(home, '#dead-letter-log', 'ran: ' + c);
  await waitForItem(home, '#dead-letter-log', 'ran: ' + d);
  const [e, f] = [unique('delete-all'), unique('delete-all')];
  await makeLetters(e, f);
  await dashboard.locator('.queue-letters[data-queue="default"] button[data-action="delete"][data-all="true"]').click();
  assert.equal(await dashboard.locator('#confirm-text').textContent(), 'Delete for good every dead letter of queue default?');
  await dashboard.locator('#confirm-ok').click();
  await waitForText(dashboard, '#status', 'Deleted 2 dead letters of default.');
  await dashboard.locator('tr[data-dead-letter]').first().waitFor({ state: 'detached', timeout: TIMEOUT });

  // Offline-ready and phone-sized: every request stayed on the demo; nothing wider than the screen.
  const origin = new URL(env.baseUrl).origin;
  assert.deepEqual(requested.filter((u) => !u.startsWith(origin) && !u.startsWith('ws')), []);
  assert.ok(await dashboard.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'the page scrolls sideways at 375 px');
}));
