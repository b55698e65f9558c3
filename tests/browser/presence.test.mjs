// End-to-end: presence in the demo's chat rooms (docs/presence.md). `#members` lists the distinct users present in
// the room (anonymous windows as `anonymous`), sorted, and follows windows opening and closing within 2 seconds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TIMEOUT, startEnvironment, openConnected, waitForText, unique, withDiagnostics, closeAfter } from './support/browser.mjs';

/** The demo's contract: a change shows within 2 s. */
const PRESENCE_UPDATE = 2_000;

let env;
before(async () => { env = await startEnvironment(); });
after(async () => { if (env) await env.close(); });

/** A new browser signed in as `name` (the demo's /login sets the cookie). */
async function signedIn(t, name) {
  const [context] = closeAfter(t, await env.newContext());
  await openConnected(context, `/login?name=${encodeURIComponent(name)}`);
  return context;
}

test('#members shows who is in the room and follows windows opening and closing', withDiagnostics(() => env, async (t) => {
  const room = unique('room');
  const alice = await signedIn(t, 'alice');
  const bob = await signedIn(t, 'bob');
  const [anonymous] = closeAfter(t, await env.newContext());

  const alicePage = await openConnected(alice, `/chat/${room}`);
  await waitForText(alicePage, '#members', 'alice', TIMEOUT);
  const bobPage = await openConnected(bob, `/chat/${room}`);
  await waitForText(alicePage, '#members', 'alice, bob', PRESENCE_UPDATE);
  await waitForText(bobPage, '#members', 'alice, bob', PRESENCE_UPDATE);
  // A second tab of alice: the room's users do not change, the new tab is still told who is there.
  const aliceTab2 = await openConnected(alice, `/chat/${room}`);
  await waitForText(aliceTab2, '#members', 'alice, bob', PRESENCE_UPDATE);
  const guestPage = await openConnected(anonymous, `/chat/${room}`);
  await waitForText(alicePage, '#members', 'alice, anonymous, bob', PRESENCE_UPDATE);
  await waitForText(guestPage, '#members', 'alice, anonymous, bob', PRESENCE_UPDATE);
  // Another room's presence does not show here.
  const elsewhere = await openConnected(bob, `/chat/${unique('other')}`);
  await waitForText(elsewhere, '#members', 'bob', TIMEOUT);

  await bobPage.close();
  await waitForText(alicePage, '#members', 'alice, anonymous', PRESENCE_UPDATE);
  await waitForText(guestPage, '#members', 'alice, anonymous', PRESENCE_UPDATE);
  await guestPage.close();
  await aliceTab2.close();
  await waitForText(alicePage, '#members', 'alice', PRESENCE_UPDATE);
  assert.equal(await alicePage.textContent('#members'), 'alice');
}));
