// Drives the fresh app of tests/packages/run.sh with the npm package as installed from its tarball:
//   node --experimental-websocket check.mjs BASE_URL
// run from the folder whose node_modules holds @switchboard-aspnet/client. Prints one line per check,
// `ok NAME` or `not ok NAME: why`, and exits 1 when one failed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createClient } from '@switchboard-aspnet/client';

const base = new URL(process.argv[2]);
const TIMEOUT_MS = 20_000;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok ${name}`);
  } catch (err) {
    failed++;
    console.log(`not ok ${name}: ${err?.message ?? err}`);
  }
}
function within(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no ${what} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

await check('the app serves /switchboard/df.js, identical to the npm package\'s dist/df.js', async () => {
  const res = await fetch(new URL('/switchboard/df.js', base));
  if (res.status !== 200) throw new Error(`status ${res.status}`);
  const served = await res.text();
  const pkgDir = path.dirname(createRequire(import.meta.url).resolve('@switchboard-aspnet/client/package.json'));
  const packed = readFileSync(path.join(pkgDir, 'dist', 'df.js'), 'utf8');
  if (served !== packed) throw new Error(`served ${served.length} chars, the npm package's dist/df.js ${packed.length}: they differ`);
});

await check('a window opens over the WebSocket with the page\'s token and a signal round-trips', async () => {
  const page = await (await fetch(base)).text();
  const init = page.match(/<script type="application\/json" id="switchboard-init">(.*?)<\/script>/s);
  if (!init) throw new Error('the page has no switchboard-init element');
  const { url, token } = JSON.parse(init[1]);
  const wsUrl = new URL(url, base);
  wsUrl.protocol = 'ws:';
  const client = createClient({ url: wsUrl.href, token, builtins: false, logger: { info() {}, warn() {}, error() {} } });
  try {
    const pong = new Promise((resolve) => client.connect('smoke.pong', (opts) => resolve(opts)));
    await within(client.ready, 'hello');
    const result = await within(client.call('smoke.ping', { text: 'packed' }), 'call answer');
    if (result?.accepted !== true) throw new Error(`call not accepted: ${JSON.stringify(result)}`);
    const opts = await within(pong, 'smoke.pong');
    if (opts.text !== 'packed!') throw new Error(`smoke.pong carried ${JSON.stringify(opts)}`);
  } finally {
    client.close?.();
  }
});

process.exit(failed ? 1 : 0);
