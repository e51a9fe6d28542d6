#!/usr/bin/env python3
"""What photos cost a build (issue 17): a Podium corpus with a photo for one report in ten.

Copies a Podium corpus made by ../shared/bench/gen_corpus.py twice onto this machine's disk,
gives every tenth report of one copy (sorted by path) an `image:` beside it, then times, for
both copies, a fresh build into an empty folder and rebuilds after one report's body was
edited (the `unchanged` shortcut of a build with nothing changed would skip images entirely,
so it says nothing about them). With photos, the first build processes every image (cold
cache) and the rebuilds find them all in the cache. `PODIUM_TIMINGS=1` gives the images
stage's own time.

The photos are synthetic: a 2,000 x 1,333 PNG of gradients and noise (so that it neither
compresses to nothing nor decodes trivially), each copy made distinct by a text chunk of its
own, so that every one is decoded, resized and encoded (the cache is keyed by content).

    cargo build --release
    python3 bench/photos.py --corpus /work/bench/c10k/ours --out /work/bench/photos --runs 3
"""

import argparse
import random
import re
import shutil
import statistics
import struct
import subprocess
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def photo_png(width=2000, height=1333, seed=17):
    rng = random.Random(seed)
    noise = bytes(rng.randrange(0, 48) for _ in range(width * 3 + 3 * 97))
    rows = []
    for y in range(height):
        base = bytes(
            ((x * 255 // width + noise[(x * 3 + y * 7) % len(noise)]) & 0xFF)
            if c == 0
            else ((y * 255 // height + noise[(x * 3 + c + y * 13) % len(noise)]) & 0xFF)
            if c == 1
            else (128 + noise[(x * 3 + c + y) % len(noise)]) & 0xFF
            for x in range(width)
            for c in range(3)
        )
        rows.append(b"\x00" + base)
    raw = zlib.compress(b"".join(rows), 6)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    head = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    tail = chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    return head, tail, chunk


def add_photos(site: Path, every: int) -> int:
    head, tail, chunk = photo_png()
    reports = sorted((site / "content" / "forums").rglob("*.md"))
    count = 0
    for i, report in enumerate(reports):
        if i % every:
            continue
        text = report.read_text()
        if not text.startswith("---\n"):
            continue
        name = report.stem + ".png"
        unique = chunk(b"tEXt", b"Comment\0" + f"bench photo {i}".encode())
        (report.parent / name).write_bytes(head + unique + tail)
        report.write_text("---\nimage: " + name + "\n" + text[4:])
        count += 1
    return count


def build(podium, root, env_timings=False):
    env = None
    if env_timings:
        import os

        env = dict(os.environ, PODIUM_TIMINGS="1")
    started = time.perf_counter()
    result = subprocess.run(
        [podium, "build", "--today", "2025-11-01", "--root", str(root)],
        capture_output=True,
        text=True,
        env=env,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{result.stderr}")
    images_ms = None
    m = re.search(r"^\s*images:\s+(\d+) ms", result.stderr, re.M)
    if m:
        images_ms = int(m.group(1))
    return elapsed, result.stdout.strip(), images_ms


def edit(site: Path, n: int):
    report = sorted((site / "content" / "forums").rglob("*.md"))[1]
    with report.open("a") as f:
        f.write(f"\nEdited for the benchmark, run {n}.\n")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", default="/work/bench/c10k/ours")
    p.add_argument("--out", default="/work/bench/photos")
    p.add_argument("--every", type=int, default=10)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--podium", default=str(REPO / "target" / "release" / "podium"))
    args = p.parse_args()
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    rows = []
    for label, photos in [("without photos", False), ("with photos", True)]:
        site = out / ("with" if photos else "without")
        shutil.copytree(args.corpus, site)
        n = add_photos(site, args.every) if photos else 0
        fresh, summary, fresh_images = build(args.podium, site, True)
        print(f"{label}: fresh {fresh:.2f} s ({n} photos; images stage {fresh_images} ms)\n  {summary}")
        edited, stage = [], []
        for run in range(args.runs):
            edit(site, run)
            t, summary, images_ms = build(args.podium, site, True)
            edited.append(t)
            stage.append(images_ms or 0)
        print(f"  edited: {', '.join(f'{t:.2f}' for t in edited)} s; images stage {stage} ms\n  {summary}")
        rows.append((label, n, fresh, statistics.median(edited), statistics.median(stage)))
    (_, _, fresh0, edited0, _), (_, n, fresh1, edited1, stage1) = rows
    print()
    print("| site | fresh build s | rebuild after one edit s (median) | images stage in that rebuild ms |")
    print("|---|---|---|---|")
    for label, n, fresh, edited, stage in rows:
        print(f"| {label} ({n} images) | {fresh:.2f} | {edited:.2f} | {stage:.0f} |")
    print()
    print(f"rebuild with unchanged images: {100 * (edited1 - edited0) / edited0:+.1f} % "
          f"(images stage {100 * stage1 / 1000 / edited1:.1f} % of it)")
    if n:
        print(f"first build, per image: {(fresh1 - fresh0) / n * 1000:.0f} ms wall on this machine")


if __name__ == "__main__":
    main()
