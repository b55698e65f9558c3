// Loads the Switchboard client into this node global the way a page gets it from the server: the parts of
// src/parts.json, in order, each run as a classic script (/switchboard/df.js is their concatenation). No DOM,
// so no default client. For the C# parity tests, which read the JS constants with
// `node -e "require('<this file>'); process.stdout.write(JSON.stringify(Switchboard.protocol))"`.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const src = path.join(__dirname, '..', 'src');
for (const part of JSON.parse(fs.readFileSync(path.join(src, 'parts.json'), 'utf8'))) {
  const file = path.join(src, part);
  vm.runInThisContext(fs.readFileSync(file, 'utf8'), { filename: file });
}
