// The npm package as users get it (docs/packages.md): `npm pack` must ship exactly the client (src/), its classic
// script (dist/df.js, built by the prepack script), the typings and the licence, and every entry point that
// package.json names must resolve to a file inside the package. The version must be the one of the NuGet packages.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { PART_NAMES, DF_SOURCE } from '../testing/fakes.js';

const dir = fileURLToPath(new URL('..', import.meta.url));
const root = path.join(dir, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** `npm pack ARGS --json` in clients/js; the prepack script runs first, as on publish. */
function pack(...args) {
  const out = execFileSync(npm, ['pack', '--json', '--loglevel=error', ...args], { cwd: dir, encoding: 'utf8' });
  return JSON.parse(out.slice(out.indexOf('[')))[0];
}

/** Every file path that package.json points at: main, module, types, unpkg, jsdelivr and each exports target. */
function entryPoints() {
  const targets = [pkg.main, pkg.module, pkg.types, pkg.unpkg, pkg.jsdelivr];
  const walk = (value) => {
    if (typeof value === 'string') targets.push(value);
    else for (const v of Object.values(value)) walk(v);
  };
  walk(pkg.exports);
  return [...new Set(targets.map((t) => path.posix.normalize(t)))];
}

test('the package version is the NuGet packages\' VersionPrefix (src/Directory.Build.props)', () => {
  const props = readFileSync(path.join(root, 'src', 'Directory.Build.props'), 'utf8');
  const prefix = props.match(/<VersionPrefix>([^<]+)<\/VersionPrefix>/);
  assert.ok(prefix, 'src/Directory.Build.props has no <VersionPrefix>');
  assert.equal(pkg.version, prefix[1]);
  const lock = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
  assert.equal(lock.version, pkg.version);
  assert.equal(lock.name, pkg.name);
});

test('licence, repository and module fields are set; LICENSE is the repository\'s', () => {
  assert.equal(pkg.name, '@switchboard-aspnet/client');
  assert.equal(pkg.license, 'MIT');
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.repository.type, 'git');
  assert.match(pkg.repository.url, /^git\+https:\/\/github\.com\/.+\.git$/);
  assert.equal(pkg.repository.directory, 'clients/js');
  assert.equal(readFileSync(path.join(dir, 'LICENSE'), 'utf8'), readFileSync(path.join(root, 'LICENSE'), 'utf8'));
});

test('npm pack ships the parts, the module entry, the classic script, the typings and the licence, nothing else', () => {
  const result = pack('--dry-run');
  assert.equal(result.name, pkg.name);
  assert.equal(result.version, pkg.version);
  const files = result.files.map((f) => f.path).sort();
  const expected = ['LICENSE', 'README.md', 'package.json', 'dist/df.js', 'src/df.mjs', 'src/parts.json', 'types/df.d.ts',
    ...PART_NAMES.map((p) => 'src/' + p)].sort();
  assert.deepEqual(files, expected);
  for (const entry of entryPoints()) {
    assert.ok(files.includes(entry.replace(/^\.\//, '')), `${entry} (named in package.json) is not in the package`);
  }
});

test('dist/df.js is the served classic script: the parts joined in order, publishing Switchboard', () => {
  pack('--dry-run'); // runs the prepack build
  const source = readFileSync(path.join(dir, 'dist', 'df.js'), 'utf8');
  assert.equal(source, DF_SOURCE);
  const sandbox = { URL, console, setTimeout, clearTimeout };
  vm.createContext(sandbox);
  vm.runInContext(source, sandbox, { filename: 'dist/df.js' });
  for (const name of ['createClient', 'protocol', 'SignalError', 'registerBuiltins']) {
    assert.ok(sandbox.Switchboard[name], `dist/df.js does not publish Switchboard.${name}`);
  }
});

test('installed from its tarball, the package resolves by name: module, classic script and typings', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'switchboard-npm-'));
  try {
    const result = pack('--pack-destination', tmp);
    const installed = path.join(tmp, 'app', 'node_modules', ...pkg.name.split('/'));
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', path.join(tmp, result.filename), '-C', installed, '--strip-components=1']);
    writeFileSync(path.join(tmp, 'app', 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    const script = `
      import df, * as client from '${pkg.name}';
      const out = {
        exports: Object.keys(client).sort(),
        defaultIsDf: df === client.df,
        createClient: typeof client.createClient,
        classic: import.meta.resolve('${pkg.name}/dist/df.js'),
        legacy: (await import('${pkg.name}/df.js')).createClient === client.createClient,
      };
      process.stdout.write(JSON.stringify(out));`;
    writeFileSync(path.join(tmp, 'app', 'main.mjs'), script);
    const out = JSON.parse(execFileSync(process.execPath, ['main.mjs'], { cwd: path.join(tmp, 'app'), encoding: 'utf8' }));
    assert.deepEqual(out.exports, ['SignalError', 'createClient', 'default', 'df', 'protocol', 'registerBuiltins']);
    assert.equal(out.defaultIsDf, true);
    assert.equal(out.createClient, 'function');
    assert.equal(out.legacy, true);
    assert.ok(existsSync(fileURLToPath(out.classic)), 'dist/df.js does not resolve inside the installed package');
    assert.ok(fileURLToPath(out.classic).startsWith(installed));
    // The typings declare every export of the module entry, the default included.
    const types = readFileSync(path.join(installed, pkg.types), 'utf8');
    for (const name of out.exports.filter((n) => n !== 'default')) {
      assert.match(types, new RegExp(`export declare (const|function|class) ${name}\\b`), `types/df.d.ts does not declare ${name}`);
    }
    assert.match(types, /^export default df;$/m);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
