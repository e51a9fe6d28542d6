// `podium serve` in a real browser (Debian's Chromium through playwright-core): what the
// live-reload script does with real tabs, which the Rust tests can only imitate.
//
//   node live.mjs <podium binary> <site folder to edit>
//
// Three tabs show a forum page. Then:
//   1. a report is saved: every tab reloads exactly once and shows the new text;
//   2. the server is stopped and started again on the same port: every tab reconnects (with
//      back-off) and reloads exactly once, with no storm of reloads after;
//   3. the report's front matter is broken: the tabs show the error overlay with the file,
//      line and column over the last good page; the fix clears it.
// The last line is "N passed, M failed".

import { chromium } from "playwright-core";
import { check, finish } from "./checks.mjs";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const [podium, site] = process.argv.slice(2);
if (!podium || !site) {
  console.error("usage: node live.mjs <podium binary> <site folder>");
  process.exit(2);
}
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";


const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, test, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      if (await test()) return true;
    } catch {
      // The page was reloading under the question; ask again.
    }
    await sleep(50);
  }
  console.log(`     (gave up waiting for ${what})`);
  return false;
}

function start(port) {
  const child = spawn(podium, ["serve", "--port", String(port), "--today", "2025-11-01", "--root", site], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => { output += d; });
  child.stderr.on("data", (d) => { output += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 30_000);
    const look = () => {
      const found = output.match(/at http:\/\/127\.0\.0\.1:(\d+)\//);
      if (found) {
        clearTimeout(timer);
        resolve({ child, port: Number(found[1]), output: () => output });
      } else {
        setTimeout(look, 20);
      }
    };
    look();
  });
}

function stop(server) {
  return new Promise((resolve) => {
    server.child.once("exit", resolve);
    server.child.kill("SIGINT");
  });
}

// The first dated report of the site (an original, not a translation `x.az.md`), and its page.
const forums = path.join(site, "content", "forums");
const report = fs.readdirSync(forums, { recursive: true })
  .map((f) => path.join(forums, String(f)))
  .filter((f) => f.endsWith(".md") && !path.basename(f).startsWith("_"))
  .filter((f) => !/\.[a-z]{2,3}\.md$/.test(f))
  .sort()[0];
const original = fs.readFileSync(report, "utf8");
const pagePath = "/forums/" + path.relative(forums, report).replace(/\.md$/, "").toLowerCase() + "/";

let server = await start(0);
const origin = `http://127.0.0.1:${server.port}`;
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const context = await browser.newContext();
  const tabs = [];
  for (let i = 0; i < 3; i += 1) {
    const page = await context.newPage();
    const tab = { page, loads: 0, problems: [] };
    page.on("load", () => { tab.loads += 1; });
    page.on("pageerror", (e) => tab.problems.push(e.message));
    const response = await page.goto(origin + pagePath, { waitUntil: "load" });
    check(`tab ${i} loads ${pagePath}`, response && response.ok(), `status ${response?.status()}`);
    tabs.push(tab);
  }
  // Let the sockets connect (their first message names the build they were loaded from).
  await sleep(500);
  const loads = () => tabs.map((t) => t.loads);
  const settle = async (expected, ms) => until(`loads ${JSON.stringify(expected)}`, () => tabs.every((t, i) => t.loads >= expected[i]), ms);

  // 1. A save reloads every tab once.
  let before = loads();
  fs.writeFileSync(report, original + "\nA sentence added while the page was open.\n");
  await settle(before.map((n) => n + 1), 5_000);
  await sleep(1_500);
  check("a save reloads every tab exactly once", tabs.every((t, i) => t.loads === before[i] + 1), `loads ${before} -> ${loads()}`);
  for (const [i, t] of tabs.entries()) {
    const text = await t.page.textContent("main");
    check(`tab ${i} shows the saved text`, text.includes("A sentence added while the page was open."));
  }

  // 2. A restart on the same port: each tab reconnects and reloads once, then stays put.
  before = loads();
  const port = server.port;
  await stop(server);
  await sleep(700);
  server = await start(port);
  await settle(before.map((n) => n + 1), 10_000);
  await sleep(3_000);
  check("after a restart every tab reloads exactly once", tabs.every((t, i) => t.loads === before[i] + 1), `loads ${before} -> ${loads()}`);

  // 3. A broken report shows the overlay over the last good page; the fix clears it.
  before = loads();
  fs.writeFileSync(report, original.replace(/^title: .*$/m, 'title: "Unclosed'));
  const overlaid = await until("the overlay", async () => (await tabs[0].page.$("#podium-overlay")) !== null);
  check("a broken report shows the error overlay", overlaid);
  if (overlaid) {
    const overlay = await tabs[0].page.textContent("#podium-overlay");
    const where = path.relative(site, report).split(path.sep).join("/");
    check("the overlay names the file, line and column", new RegExp(`${where.replace(/[.]/g, "\\.")}:\\d+:\\d+`).test(overlay), overlay.slice(0, 300));
    check("the last good page is still under the overlay", (await tabs[0].page.textContent("main")).includes("A sentence added while the page was open."));
  }
  fs.writeFileSync(report, original);
  const cleared = await until("the overlay to go", async () => (await tabs[0].page.$("#podium-overlay")) === null);
  check("the fix clears the overlay", cleared);
  for (const [i, t] of tabs.entries()) check(`tab ${i}: no script errors`, t.problems.length === 0, t.problems.join("; "));
} finally {
  fs.writeFileSync(report, original);
  await browser.close();
  await stop(server);
}
finish();
