// Builds dist/df.js, the classic script of the npm package: the parts of src/parts.json joined by a newline, byte for
// byte what the server serves as /switchboard/df.js (ClientScripts.cs), for pages that load the client from the package
// (a CDN or a copied file) instead of from MapSwitchboard(). Run by `npm pack` / `npm publish` (prepack); dist/ is not
// committed. test/package.test.js checks the output; the pack test of test.sh compares it with the served file.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const src = new URL('../src/', import.meta.url);
const dist = new URL('../dist/', import.meta.url);
const parts = JSON.parse(readFileSync(new URL('parts.json', src), 'utf8'));
const source = parts.map((part) => readFileSync(new URL(part, src), 'utf8')).join('\n');
mkdirSync(dist, { recursive: true });
writeFileSync(new URL('df.js', dist), source);
