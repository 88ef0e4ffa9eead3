#!/usr/bin/env node
// Does HashiCorp's HCL parser read back what the .tfvars emitter meant?
//
//   node tests/hcl_roundtrip.js INTENDED.json DIR
//
// The same interface as tests/yaml_roundtrip.py (tests/intended.py says what
// INTENDED.json and DIR are): for every intended .tfvars/.hcl output, one
// line "ok - DIR/PATH" or "not ok - DIR/PATH: why"; a file in DIR with those
// extensions that is not intended, or an intended one not in DIR, fails;
// a "must_fail" file must be rejected.  Exit 1 on a failure, 2 on usage.
//
// The parser is @cdktf/hcl2json (HashiCorp's hclsyntax compiled to
// WebAssembly; `sh tests/deps.sh test` installs it under tests/node_modules).
// For a .tfvars file it returns plain JSON values for the attributes, but
// writes every string as a Terraform JSON template: a literal "${" or "%{"
// comes out as "$${" or "%%{", an interpolation as "${".  So the intended
// strings (and keys) are escaped that way before comparing, and a string the
// emitter failed to escape shows up as a difference.  Object keys compare as
// sets (hcl2json sorts them); numbers as JavaScript numbers (doubles: both
// sides lose the same precision above 2^53).
'use strict';
const fs = require('fs');
const path = require('path');

const EXTS = ['.tfvars', '.hcl'];

let parse;
try {
  ({ parse } = require(path.join(__dirname, 'node_modules', '@cdktf', 'hcl2json')));
} catch (e) {
  console.log('not ok - hcl2json: cannot load @cdktf/hcl2json (run: sh tests/deps.sh test): ' + e.message);
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

function show(v) {
  const s = JSON.stringify(v);
  return s.length <= 80 ? s : s.slice(0, 77) + '...';
}

// null when equal, else where and how they first differ (raw: want's
// strings are already in hcl2json's form)
function diff(got, want, where, raw) {
  const kg = kind(got), kw = kind(want);
  if (kg !== kw) return `${where}: want ${kw} ${show(want)}, got ${kg} ${show(got)}`;
  if (kw === 'list') {
    if (got.length !== want.length) return `${where}: want ${want.length} items, got ${got.length}`;
    for (let i = 0; i < want.length; i++) {
      const d = diff(got[i], want[i], `${where}[${i}]`, raw);
      if (d) return d;
    }
    return null;
  }
  if (kw === 'object') {
    const wmap = new Map(Object.keys(want).map((k) => [raw ? k : template(k), want[k]]));
    if (wmap.size !== Object.keys(want).length) return `${where}: two intended keys are the same once escaped`;
    const gk = Object.keys(got).sort(), wk = [...wmap.keys()].sort();
    if (JSON.stringify(gk) !== JSON.stringify(wk))
      return `${where}: want keys ${JSON.stringify(wk)}, got ${JSON.stringify(gk)}`;
    for (const [k, wv] of wmap) {
      const d = diff(got[k], wv, `${where}.${k}`, raw);
      if (d) return d;
    }
    return null;
  }
  if (kw === 'string' && !raw) want = template(want);
  if (got !== want) return `${where}: want ${show(want)}, got ${show(got)}`;
  return null;
}

// The intended tree in hcl2json's form (strings and keys escaped).
function escaped(v) {
  if (typeof v === 'string') return template(v);
  if (Array.isArray(v)) return v.map(escaped);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [template(k), escaped(x)]));
  return v;
}

// What a file merged into (tfvars_merge.h) must hold: base (parsed) with
// each intended attribute merged: a list's items replace the item with the
// same first attribute or are appended, an object's entries replace or are
// added, anything else (or an empty side) replaces.  want keeps its key
// order (the JSON intended file), so its items' first attribute is known.
function merged(base, want) {
  const out = { ...base };
  for (const [k, w] of Object.entries(escaped(want))) {
    const b = out[k];
    if (Array.isArray(b) && Array.isArray(w) && b.length && w.length) {
      const items = b.slice();
      for (const wi of w) {
        const key = wi && typeof wi === 'object' && !Array.isArray(wi) ? Object.keys(wi)[0] : undefined;
        const at = key === undefined ? -1 : items.findIndex((bi) => bi && typeof bi === 'object' && bi[key] === wi[key]);
        if (at >= 0) items[at] = wi;
        else items.push(wi);
      }
      out[k] = items;
    } else if (b && w && typeof b === 'object' && typeof w === 'object' && !Array.isArray(b) && !Array.isArray(w) &&
               Object.keys(b).length && Object.keys(w).length) {
      out[k] = { ...b, ...w };
    } else {
      out[k] = w;
    }
  }
  return out;
}

// every file under dir, sorted as tests/intended.py walks
function walk(dir, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name)))
    if (e.isDirectory()) walk(path.join(dir, e.name), out);
    else out.push(path.join(dir, e.name));
  return out;
}

async function main(argv) {
  if (argv.length !== 2 || !fs.existsSync(argv[1]) || !fs.statSync(argv[1]).isDirectory()) {
    console.error('usage: node tests/hcl_roundtrip.js INTENDED.json DIR');
    return 2;
  }
  const top = JSON.parse(fs.readFileSync(argv[0], 'utf8'));
  const mustFail = new Set(top.must_fail || []);
  const dir = argv[1].replace(/\/+$/, '') || '/';
  let failed = 0;
  const report = (file, why) => {
    if (why) failed++;
    console.log(why ? `not ok - ${file}: ${why}` : `ok - ${file}`);
  };
  const intended = new Set();
  for (const [rel, want] of Object.entries(top.outputs)) {
    if (!EXTS.includes(path.extname(rel))) continue;
    const file = path.normalize(path.join(dir, rel));
    intended.add(file);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      report(file, 'intended output is not on disk');
      continue;
    }
    let why;
    try {
      const into = (top.merged || {})[rel];
      const got = await parse(path.basename(file), fs.readFileSync(file, 'utf8'));
      why = into === undefined ? diff(got, want, '$')
        : diff(got, merged(await parse(path.basename(into), fs.readFileSync(into, 'utf8')), want), '$', true);
    } catch (e) {
      why = 'parse error: ' + String(e && e.message ? e.message : e).replace(/\n/g, ' ');
    }
    if (mustFail.has(rel)) {
      report(file, why ? null : 'wrong on purpose, but the checker accepted it');
      if (why) console.log(`    rejected as it must be: ${why}`);
    } else {
      report(file, why);
    }
  }
  for (const file of walk(dir, []))
    if (EXTS.includes(path.extname(file)) && !intended.has(path.normalize(file)))
      report(path.normalize(file), 'on disk but not an intended output');
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then((rc) => { process.exitCode = rc; }, (e) => {
  console.log('not ok - hcl_roundtrip: ' + e);
  process.exitCode = 1;
});
