#!/usr/bin/env python3
"""Resident memory of a run over its output, sampled and plotted (stdlib only).

  rss_curve.py sample CURVE.tsv OUTPUT_FILE -- COMMAND...   run COMMAND; every 0.5 s write
      seconds, VmRSS (KiB) and the lines of OUTPUT_FILE so far to CURVE.tsv
  rss_curve.py plot OUT.svg TITLE LABEL=CURVE.tsv...        draw RSS (MiB) against lines written
"""
import subprocess
import sys
import time


def lines_of(path):
    try:
        with open(path, "rb") as f:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    except FileNotFoundError:
        return 0


def sample(curve, output, command):
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    start = time.time()
    with open(curve, "w") as out:
        out.write("seconds\trss_kib\tlines\n")
        while proc.poll() is None:
            try:
                with open(f"/proc/{proc.pid}/status") as f:
                    rss = next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
            except (FileNotFoundError, StopIteration, ProcessLookupError):
                break
            out.write(f"{time.time() - start:.1f}\t{rss}\t{lines_of(output)}\n")
            out.flush()
            time.sleep(0.5)
    return proc.wait()


def plot(svg, title, series):
    colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
    curves = []
    for spec in series:
        label, path = spec.split("=", 1)
        with open(path) as f:
            rows = [l.split("\t") for l in f.read().splitlines()[1:]]
        curves.append((label, [(int(n), int(r) / 1024) for _, r, n in rows]))
    xmax = max(x for _, pts in curves for x, _ in pts) or 1
    ymax = max(y for _, pts in curves for _, y in pts)
    ymax = (int(ymax / 100) + 1) * 100
    w, h, left, bottom, top, right = 720, 360, 60, 40, 30, 20
    sx = lambda x: left + x / xmax * (w - left - right)
    sy = lambda y: h - bottom - y / ymax * (h - top - bottom)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
        f'<rect width="{w}" height="{h}" fill="white"/>',
        f'<text x="{w / 2}" y="18" text-anchor="middle">{title}</text>',
    ]
    for y in range(0, ymax + 1, 100):
        parts.append(f'<line x1="{left}" x2="{w - right}" y1="{sy(y):.1f}" y2="{sy(y):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{sy(y) + 4:.1f}" text-anchor="end">{y}</text>')
    step = 10 ** (len(str(xmax)) - 1)
    while step > 1 and xmax // step < 5:
        step //= 10
    for x in range(0, xmax + 1, step):
        parts.append(f'<text x="{sx(x):.1f}" y="{h - bottom + 16}" text-anchor="middle">{x // 1000}k</text>')
    parts.append(f'<text x="14" y="{h / 2}" transform="rotate(-90 14 {h / 2})" text-anchor="middle">RSS MiB</text>')
    parts.append(f'<text x="{w / 2}" y="{h - 4}" text-anchor="middle">articles written</text>')
    for k, (label, pts) in enumerate(curves):
        c = colours[k % len(colours)]
        d = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in pts)
        parts.append(f'<polyline points="{d}" fill="none" stroke="{c}" stroke-width="1.5"/>')
        peak = max(y for _, y in pts)
        parts.append(f'<text x="{left + 10}" y="{top + 16 + 16 * k}" fill="{c}">{label} (highest sample {peak:.0f} MiB)</text>')
    parts.append("</svg>")
    with open(svg, "w") as f:
        f.write("\n".join(parts) + "\n")


if __name__ == "__main__":
    if len(sys.argv) > 4 and sys.argv[1] == "sample" and sys.argv[4] == "--":
        sys.exit(sample(sys.argv[2], sys.argv[3], sys.argv[5:]))
    elif len(sys.argv) > 4 and sys.argv[1] == "plot":
        plot(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        sys.exit(__doc__)
