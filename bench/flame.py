#!/usr/bin/python3
"""bench/flame.py — a flame graph (SVG) from `perf script` output, with no other tool.

Debian ships no FlameGraph scripts, so this folds the stacks itself (the "folded" format: one
line per distinct stack, root first, frames joined by ';', then the sample count) and draws them:
x is the share of samples, y the depth, root at the bottom; hover a frame for its name and share.

  perf record -e cpu-clock -F 999 -g -p PID -o perf.data -- sleep 8
  perf script -i perf.data | bench/flame.py --title "GET one, cache hit" > docs/flamegraphs/x.svg
  bench/flame.py --folded < perf-script.txt      # only the folded stacks (for diffing)
"""
import argparse
import html
import os
import re
import subprocess
import sys
import zlib
from collections import defaultdict

FRAME = re.compile(r"^\s*[0-9a-f]+\s+(.*?)(?:\s+\((.*)\))?$")


def clean(symbol, dso):
    symbol = re.sub(r"\+0x[0-9a-f]+$", "", symbol.strip())
    if symbol in ("[unknown]", ""):
        base = (dso or "?").rsplit("/", 1)[-1]
        return f"[{base}]"
    # Long C++ names: drop argument lists and template arguments beyond a reasonable length.
    if len(symbol) > 160:
        symbol = symbol[:157] + "..."
    return symbol


def parse(lines):
    """perf script's samples (a header line, then frames leaf first, then a blank line)."""
    samples, comm, frames = [], None, []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if comm is not None:
                samples.append((comm, frames))
            comm, frames = None, []
            continue
        if comm is None:
            comm = line.split()[0] if not line.startswith((" ", "\t")) else "?"
            continue
        m = FRAME.match(line)
        if m:
            addr = line.split()[0]
            frames.append((addr, m.group(1), m.group(2)))
    if comm is not None:
        samples.append((comm, frames))
    return samples


def symbolize(samples):
    """perf on this machine leaves oms's own frames [unknown] although the binary has a symbol
    table; addr2line reads it (perf script prints the file offset for a PIE's frames)."""
    wanted = defaultdict(set)
    for _, frames in samples:
        for addr, symbol, dso in frames:
            if symbol.startswith("[unknown]") and dso and os.path.isfile(dso):
                wanted[dso].add(addr)
    names = {}
    for dso, addrs in wanted.items():
        addrs = sorted(addrs)
        try:
            out = subprocess.run(["addr2line", "-f", "-C", "-e", dso] + [f"0x{a}" for a in addrs], text=True,
                                 capture_output=True, check=True).stdout.splitlines()
        except (OSError, subprocess.CalledProcessError):
            continue
        for addr, name in zip(addrs, out[0::2]):
            if name and name != "??":
                names[(dso, addr)] = name
    return names


def fold(lines):
    """-> {folded stack: samples}; the stack is root first, frames joined by ';'."""
    samples = parse(lines)
    names = symbolize(samples)
    stacks = defaultdict(int)
    for comm, frames in samples:
        path = [clean(names.get((dso, addr), symbol), dso) for addr, symbol, dso in frames]
        stacks[";".join([comm] + list(reversed(path)))] += 1
    return stacks


def tree(stacks):
    root = {"name": "all", "value": 0, "children": {}}
    for stack, n in stacks.items():
        root["value"] += n
        node = root
        for frame in stack.split(";"):
            child = node["children"].setdefault(frame, {"name": frame, "value": 0, "children": {}})
            child["value"] += n
            node = child
    return root


def colour(name):
    h = zlib.crc32(name.encode())
    if name.startswith("[k") or "kernel" in name or name.startswith(("__x64_sys", "do_syscall", "tcp_", "entry_")):
        return f"rgb({200 + h % 55},{120 + h % 60},{60 + h % 40})"  # kernel: orange
    if "oms::" in name:
        return f"rgb({60 + h % 50},{150 + h % 60},{60 + h % 40})"  # ours: green
    return f"rgb({220 + h % 35},{80 + h % 100},{50 + h % 40})"  # libraries: red/yellow


def svg(root, title, width=1200, row=16):
    depth = 0

    def measure(node, d):
        nonlocal depth
        depth = max(depth, d)
        for c in node["children"].values():
            measure(c, d + 1)

    measure(root, 0)
    height = (depth + 1) * row + 50
    total = max(root["value"], 1)
    scale = (width - 20) / total
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="monospace" font-size="11">',
           '<rect width="100%" height="100%" fill="#f8f8f8"/>',
           f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="15">{html.escape(title)}</text>',
           f'<text x="10" y="38" font-size="11">{total} samples; width = share of samples; '
           'green: oms, orange: kernel, red: libraries</text>']

    def draw(node, x, d):
        w = node["value"] * scale
        if w < 0.3:
            return
        y = height - (d + 1) * row - 4
        share = 100.0 * node["value"] / total
        name = html.escape(node["name"])
        out.append(f'<g><title>{name} ({node["value"]} samples, {share:.2f} %)</title>'
                   f'<rect x="{x + 10:.1f}" y="{y}" width="{w:.1f}" height="{row - 1}" fill="{colour(node["name"])}" '
                   f'rx="2"/>')
        chars = int(w / 6.6)
        if chars >= 3:
            label = node["name"] if len(node["name"]) <= chars else node["name"][:chars - 2] + ".."
            out.append(f'<text x="{x + 13:.1f}" y="{y + row - 4}">{html.escape(label)}</text>')
        out.append("</g>")
        cx = x
        for c in sorted(node["children"].values(), key=lambda c: c["name"]):
            draw(c, cx, d + 1)
            cx += c["value"] * scale

    draw(root, 0.0, 0)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--title", default="oms, perf cpu-clock")
    ap.add_argument("--folded", action="store_true", help="print the folded stacks instead of an SVG")
    args = ap.parse_args()
    stacks = fold(sys.stdin)
    if not stacks:
        raise SystemExit("flame.py: no samples in the input (perf script output expected)")
    if args.folded:
        for stack, n in sorted(stacks.items()):
            print(f"{stack} {n}")
        return
    sys.stdout.write(svg(tree(stacks), args.title))


if __name__ == "__main__":
    main()
