#!/usr/bin/env node
// Check that an HCL parser reads back what the .tfvars emitter meant.
//
//   node tests/hcl_roundtrip.js TFVARS JSON [TFVARS JSON ...]
//
// Each TFVARS file is parsed with @cdktf/hcl2json (HashiCorp's hclsyntax
// parser compiled to WebAssembly; install with `npm install --prefix tests`).
// The result must equal the value in JSON: same types, same strings, same
// items in order; object keys compared as sets (hcl2json sorts them).
// hcl2json writes strings as Terraform JSON templates: a literal "${" or "%{"
// comes out as "$${" or "%%{", an interpolation as "${".  So the expected
// strings (and keys) are escaped that way before comparing, and a string the
// emitter failed to escape shows up as a difference.
// Numbers compare as JavaScript numbers (both sides lose the same precision
// above 2^53).  Prints "ok - FILE" or "not ok - FILE: why"; exits 1 on failure.
'use strict';
const fs = require('fs');
const path = require('path');

let parse;
try {
  ({ parse } = require(path.join(__dirname, 'node_modules', '@cdktf', 'hcl2json')));
} catch (e) {
  console.log('not ok - hcl2json: cannot load @cdktf/hcl2json (run: npm install --prefix tests): ' + e.message);
  process.exit(1);
}

function template(s) {
  return s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

function kind(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v;
}

// null when equal, else where and how they differ
function diff(got, want, where) {
  const kg = kind(got), kw = kind(want);
  if (kg !== kw) return `${where}: want ${kw} ${JSON.stringify(want)}, got ${kg} ${JSON.stringify(got)}`;
  if (kw === 'list') {
    if (got.length !== want.length) return `${where}: want ${want.length} items, got ${got.length}`;
    for (let i = 0; i < want.length; i++) {
      const d = diff(got[i], want[i], `${where}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (kw === 'object') {
    const gk = Object.keys(got).sort(), wk = Object.keys(want).sort();
    if (JSON.stringify(gk) !== JSON.stringify(wk))
      return `${where}: want keys ${JSON.stringify(wk)}, got ${JSON.stringify(gk)}`;
    for (const k of wk) {
      const d = diff(got[k], want[k], `${where}.${k}`);
      if (d) return d;
    }
    return null;
  }
  if (kw === 'string') want = template(want);
  if (got !== want) return `${where}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
  return null;
}

function templateKeys(v) {
  if (Array.isArray(v)) return v.map(templateKeys);
  if (v !== null && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v)) o[template(k)] = templateKeys(v[k]);
    return o;
  }
  return v;
}

async function main(argv) {
  if (argv.length < 2 || argv.length % 2) {
    console.error('usage: node tests/hcl_roundtrip.js TFVARS JSON [TFVARS JSON ...]');
    return 2;
  }
  let failed = 0;
  for (let i = 0; i < argv.length; i += 2) {
    const file = argv[i];
    let why = null;
    try {
      const want = templateKeys(JSON.parse(fs.readFileSync(argv[i + 1], 'utf8')));
      const got = await parse(path.basename(file), fs.readFileSync(file, 'utf8'));
      why = diff(got, want, '$');
    } catch (e) {
      why = 'parse error: ' + String(e && e.message ? e.message : e).replace(/\n/g, ' ');
    }
    if (why) {
      failed++;
      console.log(`not ok - ${file}: ${why}`);
    } else {
      console.log(`ok - ${file}`);
    }
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then((rc) => process.exit(rc), (e) => {
  console.log('not ok - hcl_roundtrip: ' + e);
  process.exit(1);
});
