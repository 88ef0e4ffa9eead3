#!/usr/bin/env node
// hcl2json.js - parse HCL files with HashiCorp's own parser and print JSON.
//
//   node tests/hcl2json.js FILE...
//
// Uses the npm package @cdktf/hcl2json (HashiCorp's hclsyntax parser compiled
// to WebAssembly; `sh tests/deps.sh test` installs it under tests/node_modules).
// Prints one JSON object mapping each FILE to what the parser returned: for
// a .tfvars file, plain JSON values for its attributes (strings as Terraform
// JSON templates, so a literal "${" reads "$${").  Exit 1 when a file does
// not parse, with "FILE: message" on stderr.
'use strict';
const fs = require('fs');
const path = require('path');

let parse;
try {
  ({ parse } = require(path.join(__dirname, 'node_modules', '@cdktf', 'hcl2json')));
} catch (e) {
  console.error('hcl2json: cannot load @cdktf/hcl2json (run: sh tests/deps.sh test): ' + e.message);
  process.exit(2);
}

async function main(files) {
  if (!files.length) {
    console.error('usage: node tests/hcl2json.js FILE...');
    return 2;
  }
  const result = {};
  let rc = 0;
  for (const f of files) {
    try {
      result[f] = await parse(path.basename(f), fs.readFileSync(f, 'utf8'));
    } catch (e) {
      console.error(f + ': ' + String(e && e.message ? e.message : e).replace(/\n/g, ' '));
      rc = 1;
    }
  }
  process.stdout.write(JSON.stringify(result, null, 1) + '\n');
  return rc;
}

main(process.argv.slice(2)).then((rc) => { process.exitCode = rc; },
  (e) => { console.error('hcl2json: ' + e); process.exitCode = 1; });
