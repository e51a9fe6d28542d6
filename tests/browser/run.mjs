// Podium's default theme, judged by tools nobody here wrote, in a real browser.
//
// For every built site given on the command line (`node run.mjs <site> [<site> ...]`):
//   1. the Nu HTML Checker (vnu-jar) validates every HTML page: zero errors allowed;
//   2. a static server serves the site on 127.0.0.1, and headless Chromium (Debian's, driven
//      by playwright-core) visits one page of each kind at phone (320 px) and desktop
//      (1280 px) widths, in light and dark mode, and checks: axe-core finds no WCAG 2.1 AA
//      violation, nothing scrolls sideways, the console stays clean, no request leaves the
//      site; then saves a screenshot into tests/browser/screenshots/ (CI keeps the folder);
//   3. every output file is scanned for inline script, style attributes and on* handlers,
//      and each forum page's transfer weight (HTML + CSS) must stay under 50 kB.
// The last line is "N passed, M failed".

import { chromium } from "playwright-core";
import { check, finish } from "./checks.mjs";
import { execFileSync } from "node:child_process";
import { serve } from "./static-server.mjs";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const require = createRequire(import.meta.url);
const here = path.dirname(new URL(import.meta.url).pathname);
const screenshots = path.join(here, "screenshots");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const sites = process.argv.slice(2);
if (sites.length === 0) {
  console.error("usage: node run.mjs <built site folder> [...]");
  process.exit(2);
}


function walk(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}


// One page of each kind: the first file matching each pattern.
const KINDS = [
  ["home", /^index\.html$/],
  ["forums", /^forums\/index\.html$/],
  ["year", /^forums\/\d{4}\/index\.html$/],
  ["forum", /^forums\/(?!.*\/page\/\d+\/index\.html$).+\/.+\/index\.html$/],
  ["speakers", /^speakers\/index\.html$/],
  ["speaker", /^speakers\/[^/]+\/index\.html$/],
  ["organizations", /^organizations\/index\.html$/],
  ["organization", /^organizations\/[^/]+\/index\.html$/],
  ["topics", /^topics\/index\.html$/],
  ["topic", /^topics\/[^/]+\/index\.html$/],
  ["series-index", /^series\/index\.html$/],
  ["series", /^series\/[^/]+\/index\.html$/],
  ["404", /^404\.html$/],
  ["search", /^search\/index\.html$/],
  // Page 2 or later of a long list (a busy organization, a year, the speakers' index).
  ["list-page", /^.+\/page\/\d+\/index\.html$/],
];

// A site in several languages has each other language's pages under `<code>/`: each
// language's pages of each kind are visited too (`az-forum`, `ru-speaker`...).
function pickPages(site, files) {
  const rel = files.map((f) => path.relative(site, f)).sort();
  const languages = [...new Set(rel.map((r) => r.match(/^([a-z]{2,3})\/index\.html$/)?.[1]).filter(Boolean))];
  const pages = [];
  for (const lang of ["", ...languages]) {
    const prefix = lang ? `${lang}/` : "";
    const inLang = rel.filter((r) => r.startsWith(prefix)).map((r) => r.slice(prefix.length));
    for (const [kind, pattern] of KINDS) {
      const matches = inLang.filter((r) => pattern.test(r));
      if (matches.length === 0) continue;
      // The largest page of a kind is the hardest case (the busiest speaker, say).
      const size = (r) => fs.statSync(path.join(site, prefix + r)).size;
      const largest = matches.reduce((a, b) => (size(a) >= size(b) ? a : b));
      pages.push([lang ? `${lang}-${kind}` : kind, prefix + largest]);
    }
  }
  return pages;
}

function validateHtml(label, htmlFiles) {
  const vnu = require("vnu-jar");
  let report;
  try {
    const out = execFileSync("java", ["-jar", vnu, "--errors-only", "--format", "json", "--exit-zero-always", ...htmlFiles], { maxBuffer: 1 << 28, stdio: ["ignore", "pipe", "pipe"] });
    report = JSON.parse(out.toString() || "{\"messages\":[]}");
  } catch (e) {
    report = JSON.parse(e.stderr?.toString() || "{\"messages\":[{\"type\":\"error\",\"message\":\"vnu failed\"}]}");
  }
  const errors = report.messages.filter((m) => m.type === "error");
  check(`${label}: Nu HTML Checker, ${htmlFiles.length} pages, zero errors`, errors.length === 0,
    errors.slice(0, 10).map((m) => `${m.url?.replace("file:", "")}:${m.lastLine}: ${m.message}`).join("\n     "));
  return htmlFiles.length;
}

function staticChecks(label, site, files) {
  const inline = [];
  for (const f of files.filter((f) => f.endsWith(".html"))) {
    const html = fs.readFileSync(f, "utf8");
    // Data blocks (JSON-LD, the search page's words) are not scripts: browsers never run them.
    if (/<script(?![^>]*type="application\/(ld\+)?json")[^>]*>/i.test(html.replace(/<script[^>]*\bsrc=[^>]*>/gi, ""))) inline.push(`${f}: inline <script>`);
    if (/\sstyle\s*=/i.test(html)) inline.push(`${f}: style= attribute`);
    if (/<[^>]+\son[a-z]+\s*=/i.test(html)) inline.push(`${f}: on* handler`);
    if (/(src|href)="(https?:)?\/\/(?!forums\.example\.org)[^"]+\.(css|js|woff2?)"/i.test(html)) inline.push(`${f}: external asset`);
  }
  check(`${label}: no inline script, style= or on* handler in any page`, inline.length === 0, inline.slice(0, 10).join("\n     "));
  const css = fs.statSync(path.join(site, "style.css")).size;
  const forums = files.filter((f) => /forums\/.+\/.+\/index\.html$/.test(path.relative(site, f)));
  const heaviest = forums.reduce((a, f) => Math.max(a, fs.statSync(f).size), 0);
  check(`${label}: heaviest forum page ${heaviest} B + CSS ${css} B under 50 kB`, heaviest + css < 50_000);
  return { css, heaviest };
}

async function browserChecks(label, site, pages, browser) {
  const server = await serve(site, { notFoundPage: true });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  let visits = 0;
  for (const [kind, rel] of pages) {
    const url = `${origin}/${rel.replace(/index\.html$/, "")}`;
    for (const [width, height] of [[320, 640], [1280, 900]]) {
      for (const scheme of ["light", "dark"]) {
        // bypassCSP lets axe's script in; the pages' own CSP stays in force for their content.
        const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme, bypassCSP: true });
        const page = await context.newPage();
        const problems = [];
        page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
        page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
        page.on("request", (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) problems.push(`request leaves the site: ${r.url()}`); });
        const response = await page.goto(url, { waitUntil: "load" });
        const name = `${label} ${kind} ${width}px ${scheme}`;
        check(`${name}: loads`, response && (response.ok() || kind === "404"), `status ${response?.status()}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        check(`${name}: no horizontal scrolling`, overflow <= 0, `${overflow}px too wide`);
        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate(async () => await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
        check(`${name}: axe-core WCAG 2.1 AA`, result.violations.length === 0,
          result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}× e.g. ${v.nodes[0]?.target})`).join("\n     "));
        check(`${name}: clean console, no outside requests`, problems.length === 0, problems.join("\n     "));
        fs.mkdirSync(screenshots, { recursive: true });
        await page.screenshot({ path: path.join(screenshots, `${label}-${kind}-${width}-${scheme}.png`), fullPage: width === 320 });
        await context.close();
        visits += 1;
      }
    }
    // Printing: navigation and footer are hidden.
    const context = await browser.newContext({ viewport: { width: 800, height: 1000 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.emulateMedia({ media: "print" });
    const hidden = await page.evaluate(() => ["nav[aria-label=Main]", ".site-footer"].every((s) => { const e = document.querySelector(s); return !e || getComputedStyle(e).display === "none"; }));
    check(`${label} ${kind} print: navigation and footer hidden`, hidden);
    await context.close();
  }
  server.close();
  return visits;
}

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let pagesValidated = 0;
let visits = 0;
for (const site of sites) {
  const label = path.basename(path.resolve(site, ".."));
  const files = walk(site);
  const html = files.filter((f) => f.endsWith(".html"));
  pagesValidated += validateHtml(label, html);
  const weights = staticChecks(label, site, files);
  console.log(`${label}: ${html.length} HTML pages; style.css ${weights.css} B; heaviest forum page ${weights.heaviest} B`);
  visits += await browserChecks(label, site, pickPages(site, files), browser);
}
await browser.close();
console.log(`${pagesValidated} pages validated, ${visits} browser visits; screenshots in ${screenshots}`);
finish();
