// The browser's copy of the search rules (themes/default/static/search-fold.js) against the
// vectors the Rust rules are tested with (src/search/fold.rs). Run: node tests/search/fold.test.mjs
import fs from "node:fs";
import path from "node:path";

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.join(here, "..", "..");
const source = fs.readFileSync(path.join(root, "themes/default/static/search-fold.js"), "utf8");
const fold = new Function(`${source}\nreturn podiumFold;`)();
const vectors = JSON.parse(fs.readFileSync(path.join(here, "fold-vectors.json"), "utf8"));

let failed = 0;
let passed = 0;
function same(what, got, want) {
  if (JSON.stringify(got) === JSON.stringify(want)) passed++;
  else { failed++; console.error(`FAIL ${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`); }
}
for (const [word, key] of vectors.fold) same(`fold(${word})`, fold.fold(word), key);
for (const [word, key] of vectors.plain) same(`plain(${word})`, fold.plain(word), key);
for (const [text, list] of vectors.words) same(`words(${text})`, fold.words(text), list);
for (const [a, b, near] of vectors.one_edit) same(`oneEdit(${a}, ${b})`, fold.oneEdit(a, b), near);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
