#!/usr/bin/env python3
"""Time `podium serve` from saving a report to the new page being served.

Copies a corpus from ../shared/bench/gen_corpus.py into a scratch folder, starts the release
binary on a free port, waits for the first build, then saves one report again and again and
polls over HTTP (one kept-alive connection, every millisecond) until the change is served.
The clock starts when the write returns, so the watcher's wait for a burst to end is
included. Three things are timed per save:

  page     the saved report's own page shows the new text (a body edit);
  mentions the page of a speaker it names shows the title they held (a speaker-title edit);
  api      /api/forums.json has a new ETag (a title edit): every step is done (HEAD, so
           the 36 MB file's transfer is not counted);
  new      a new report's page is served (it names only names the site has, so its forum
           is put into the kept model);
  deleted  that report's file is deleted and its page answers 404.

    cargo build --release
    python3 bench/serve.py --size 10000 --saves 20

After each timed save the script waits until /__podium/status says every step of the
rebuild is done; a last series
saves every 0.2 s, as an editor saving in a hurry would. Prints medians, 90th percentiles and
the range in milliseconds.
"""

import argparse
import http.client
import json
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEN = REPO.parent / "shared" / "bench" / "gen_corpus.py"


def corpus_for(size, corpora):
    corpus = Path(corpora) / f"n{size}"
    if not (corpus / "corpus.json").exists():
        print(f"generating {size} reports ...", flush=True)
        subprocess.run([sys.executable, str(GEN), "--events", str(size), "--out", str(corpus),
                        "--format", "ours,hugo"], check=True, stdout=subprocess.DEVNULL)
    return corpus / "ours"


class Server:
    def __init__(self, binary, root):
        self.lines = []
        self.process = subprocess.Popen(
            [binary, "serve", "--port", "0", "--today", "2025-11-01", "--root", str(root)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.port = None
        ready = threading.Event()

        def read():
            for line in self.process.stdout:
                self.lines.append(line.rstrip())
                found = re.search(r"at http://127\.0\.0\.1:(\d+)/", line)
                if found:
                    self.port = int(found.group(1))
                    ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(600):
            sys.exit("the server did not start:\n" + "\n".join(self.lines[-20:]))
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def get(self, path):
        self.connection.request("GET", path)
        response = self.connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")

    def etag(self, path):
        self.connection.request("HEAD", path)
        response = self.connection.getresponse()
        response.read()
        return response.getheader("ETag")

    def wait_for_new_etag(self, path, old, started, limit=60.0):
        while self.etag(path) == old:
            if time.perf_counter() - started > limit:
                sys.exit(f"{path} never changed")
            time.sleep(0.001)
        return (time.perf_counter() - started) * 1000

    def settle(self, limit=120.0):
        """Wait until the latest rebuild has done all its steps."""
        started = time.perf_counter()
        time.sleep(0.1)  # past the watcher's wait, so the save's rebuild has begun
        while json.loads(self.get("/__podium/status")[1])["pending"]:
            if time.perf_counter() - started > limit:
                sys.exit("the rebuild never finished")
            time.sleep(0.01)

    def wait_for(self, path, text, started, limit=60.0):
        while True:
            status, body = self.get(path)
            if status == 200 and text in body:
                return (time.perf_counter() - started) * 1000
            if time.perf_counter() - started > limit:
                sys.exit(f"{path} never showed {text!r}")
            time.sleep(0.001)

    def wait_for_gone(self, path, started, limit=60.0):
        while self.get(path)[0] != 404:
            if time.perf_counter() - started > limit:
                sys.exit(f"{path} never went")
            time.sleep(0.001)
        return (time.perf_counter() - started) * 1000

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def summary(name, times):
    times = sorted(times)
    p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
    print(f"  {name:<24} median {statistics.median(times):7.1f} ms   p90 {p90:7.1f} ms   "
          f"range {times[0]:.1f}-{times[-1]:.1f} ms   ({len(times)} saves)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--corpora", default="/tmp/podium-bench/corpora")
    parser.add_argument("--scratch", default="/tmp/podium-bench/serve")
    parser.add_argument("--binary", default=str(REPO / "target" / "release" / "podium"))
    args = parser.parse_args()

    source = corpus_for(args.size, args.corpora)
    root = Path(args.scratch) / f"n{args.size}"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(source, root)
    report = sorted((root / "content" / "forums").rglob("*.md"))[len(list((root / "content" / "forums").rglob("*.md"))) // 2]
    original = report.read_text()
    path = "/forums/" + report.relative_to(root / "content" / "forums").with_suffix("").as_posix() + "/"
    speaker = re.search(r'speakers:\n  - name: "([^"]+)"\n    title: "([^"]+)"', original)
    if not speaker:
        sys.exit(f"{report} names no speaker with a title")
    speaker_name, speaker_title = speaker.groups()

    started = time.perf_counter()
    server = Server(args.binary, root)
    status, page = server.get(path)
    if status != 200:
        sys.exit(f"{path} gave {status}")
    link = re.search(r'href="(/speakers/[^"]+/)"[^>]*>' + re.escape(speaker_name) + "<", page)
    if not link:
        sys.exit(f"{path} has no link to {speaker_name}")
    speaker_page = link.group(1)
    server.wait_for("/api/forums.json", "[", time.perf_counter())
    print(f"{args.size} reports; first build served after {time.perf_counter() - started:.1f} s; saving {report.relative_to(root)}")

    def save(text):
        report.write_text(text)
        return time.perf_counter()

    def save_new(path, text):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return time.perf_counter()

    times = {"page": [], "mentions": [], "api": [], "new report": [], "deleted report": [], "page, saves 0.2 s apart": []}
    try:
        for n in range(args.saves):
            marker = f"Benchmark sentence {n}."
            times["page"].append(server.wait_for(path, marker, save(f"{original}\n{marker}\n")))
            server.settle()
            title = f"Benchmark Title {n}"
            edited = original.replace(f'title: "{speaker_title}"', f'title: "{title}"', 1)
            times["mentions"].append(server.wait_for(speaker_page, title, save(edited)))
            server.settle()
            forum_title = f"Benchmark Forum {n}"
            edited = re.sub(r'^title: "', f'title: "{forum_title} ', original, count=1, flags=re.M)
            old = server.etag("/api/forums.json")
            times["api"].append(server.wait_for_new_etag("/api/forums.json", old, save(edited)))
            server.settle()
            new = root / "content" / "forums" / "2025" / f"benchmark-forum-{n}.md"
            started = save_new(new, f"---\ntitle: Benchmark forum {n}\ndate: 2025-06-0{1 + n % 9}\nspeakers: [{speaker_name}]\n---\nA new report.\n")
            times["new report"].append(server.wait_for(f"/forums/2025/benchmark-forum-{n}/", "A new report.", started))
            server.settle()
            new.unlink()
            started = time.perf_counter()
            times["deleted report"].append(server.wait_for_gone(f"/forums/2025/benchmark-forum-{n}/", started))
            server.settle()
        # An editor saving quickly: the next save comes while the last one's later steps run.
        for n in range(args.saves):
            marker = f"Quick sentence {n}."
            times["page, saves 0.2 s apart"].append(server.wait_for(path, marker, save(f"{original}\n{marker}\n")))
            time.sleep(0.2)
    finally:
        report.write_text(original)
        server.stop()
    print("save -> served:")
    for name, values in times.items():
        summary(name, values)
    quick = sum(1 for line in server.lines if "the saved report read again" in line)
    inserted = sum(1 for line in server.lines if "the new report read and put in its place" in line)
    deleted = sum(1 for line in server.lines if "the deleted report's page taken down" in line)
    full = sum(1 for line in server.lines if "(the whole site read again)" in line)
    print(f"  rebuilds: {quick} in place, {inserted} new reports inserted, {deleted} deleted reports taken down first, {full} whole-site (the first build included)")


if __name__ == "__main__":
    main()
