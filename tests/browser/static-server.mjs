// A minimal static server for one built site, for the browser suites (run.mjs, search.mjs):
// loopback only, contained to the folder, a folder's index.html for its address.
import { createServer } from "node:http";
import fs from "node:fs";
import path from "node:path";

export const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".xml": "application/xml", ".ics": "text/calendar; charset=utf-8", ".json": "application/json",
  ".csv": "text/csv; charset=utf-8", ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8",
};

// Serve `root` on a free port of 127.0.0.1. A missing file answers 404, with the site's
// 404.html as the body when `notFoundPage` is set (as a host would), else with no body (so a
// byte count of what a page fetched is not inflated by error pages).
export function serve(root, { notFoundPage = false } = {}) {
  const base = fs.realpathSync(root);
  const server = createServer((req, res) => {
    let file = path.join(base, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!file.startsWith(base)) { res.writeHead(404); return res.end(); }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!fs.existsSync(file)) {
      if (!notFoundPage) { res.writeHead(404); return res.end(); }
      res.writeHead(404, { "content-type": TYPES[".html"] });
      return res.end(fs.readFileSync(path.join(base, "404.html")));
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}
