// Drives the page of an app made by `dotnet new switchboard` in headless Chromium (tests/template/run.sh):
//   node drive.mjs BASE_URL EXPECTED [NAME]
// Opens the page, waits for df to be connected, types NAME into #name when given (the default and --redis pages),
// clicks #greet and waits until the browser handler of app.greeted has written EXPECTED into #answer. Exits 1 with
// the reason (and the page's console errors) otherwise. Every wait is bounded; nothing sleeps.
import { launchBrowser, TIMEOUT } from '../browser/support/browser.mjs';

const [base, expected, name] = process.argv.slice(2);
const errors = [];
const browser = await launchBrowser();
let code = 0;
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`console: ${msg.text()}`); });
  await page.goto(base);
  // hello received: the signals the page may call are known, so the click's call goes straight out.
  await page.evaluate(() => df.ready);
  if (name) await page.fill('#name', name);
  await page.click('#greet');
  await page.waitForFunction((text) => document.getElementById('answer')?.textContent === text, expected);
  if (errors.length) throw new Error(errors.join('; '));
} catch (err) {
  code = 1;
  const answer = await browser.contexts()[0]?.pages()[0]?.textContent('#answer').catch(() => null);
  console.log([...errors, `#answer is ${JSON.stringify(answer)}`].join('\n'));
  console.log(`failed: ${err.message.split('\n')[0]}`);
} finally {
  await browser.close();
}
process.exit(code);
