// Starts the Switchboard demo (samples/Switchboard.Demo, Release build) as a real, separate process on
// 127.0.0.1 with a port chosen by the OS, and reads the port back from Kestrel's
// "Now listening on: http://127.0.0.1:NNNNN" log line.
//
// Not a test file: node's test runner only picks up names like *.test.mjs, test-*.mjs, *-test.mjs or
// files under a folder named `test`, and this folder is `support/`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');
export const demoProject = path.join(repoRoot, 'samples', 'Switchboard.Demo');
export const demoDll = path.join(demoProject, 'bin', 'Release', 'net10.0', 'Switchboard.Demo.dll');

const LISTENING = /Now listening on: (http:\/\/127\.0\.0\.1:(\d+))/;
const MAX_LOG_LINES = 400;

/** Every demo process this module started and did not stop yet: killed when node exits, whatever happens. */
const running = new Set();
process.on('exit', () => {
  for (const child of running) {
    try { child.kill('SIGKILL'); } catch { /* gone already */ }
  }
});

/**
 * Starts the demo and resolves once it listens.
 * @returns {Promise<{ baseUrl: string, port: number, pid: number, log: () => string, stop: () => Promise<void> }>}
 */
export async function startDemo({ startTimeoutMs = 30_000, args = [] } = {}) {
  if (!existsSync(demoDll)) {
    throw new Error(
      `The demo is not built: ${demoDll} does not exist. ` +
      `Run \`dotnet build Switchboard.slnx -c Release\` in ${repoRoot} first (test.sh does).`);
  }

  const env = { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' };
  // Variables that would move the demo away from 127.0.0.1:0; --urls wins anyway, this keeps the log clean.
  delete env.ASPNETCORE_URLS;
  delete env.DOTNET_URLS;
  delete env.ASPNETCORE_HTTP_PORTS;
  delete env.ASPNETCORE_HTTPS_PORTS;

  const child = spawn('dotnet', [
    demoDll,
    '--urls', 'http://127.0.0.1:0',
    '--contentRoot', demoProject,
    // The port comes from this log line: keep it visible whatever appsettings or the environment say.
    '--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information',
    '--Logging:Console:FormatterName=simple',
    ...args // settings of a test file, e.g. --Switchboard:WindowTokenLifetime=00:00:04
  ], { cwd: demoProject, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);

  const lines = [];
  const remember = (chunk) => {
    for (const line of chunk.toString('utf8').split(/\r?\n/)) {
      if (line.length) lines.push(line);
    }
    if (lines.length > MAX_LOG_LINES) lines.splice(0, lines.length - MAX_LOG_LINES);
  };
  const log = () => lines.join('\n');

  let exited = null;
  const exitedPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      exited = { code, signal };
      resolve(exited);
    });
  });

  const listening = new Promise((resolve, reject) => {
    let stdoutBuffer = '';
    const timer = setTimeout(
      () => reject(new Error(`The demo did not report "Now listening on" within ${startTimeoutMs} ms. Output:\n${log()}`)),
      startTimeoutMs);
    child.stdout.on('data', (chunk) => {
      remember(chunk);
      stdoutBuffer += chunk.toString('utf8');
      const match = LISTENING.exec(stdoutBuffer);
      if (match) {
        clearTimeout(timer);
        stdoutBuffer = '';
        resolve({ baseUrl: match[1], port: Number(match[2]) });
      } else if (stdoutBuffer.length > 65536) {
        stdoutBuffer = stdoutBuffer.slice(-1024);
      }
    });
    child.stderr.on('data', remember);
    child.once('error', (err) => { clearTimeout(timer); reject(new Error(`Cannot start \`dotnet ${demoDll}\`: ${err.message}`)); });
    exitedPromise.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`The demo exited before listening (code ${code}, signal ${signal}). Output:\n${log()}`));
    });
  });

  async function stop() {
    if (exited) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => { if (!exited) child.kill('SIGKILL'); }, 5_000);
    await exitedPromise;
    clearTimeout(killer);
  }

  try {
    const { baseUrl, port } = await listening;
    return { baseUrl, port, pid: child.pid, log, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
