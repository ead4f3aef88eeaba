#!/usr/bin/env python3
"""Where the samples under one frame go, from `perf script` output (docs/profiling.md).

    perf script -i perf.data --time 60%-100% -F comm,tid,ip,sym > samples.txt
    python3 docs/perf-breakdown.py samples.txt 'RuleEngine.flowEnded'        # its direct callees
    python3 docs/perf-breakdown.py samples.txt 'FlowTable.emit' --depth 2    # two levels down
    python3 docs/perf-breakdown.py samples.txt 'FlowExtractor.run' --depth 0 # only its share

A sample counts for PATTERN when any frame of its stack contains PATTERN (the outermost such frame, so that
recursion counts once); it is attributed to the DEPTH frames below that one ("(self)" when the frame is the
leaf). Shares are of all samples in the file, every thread included, as in `perf report --children`.
"""
import argparse
import collections
import re


def stacks(path):
    """Yields each sample's frames, leaf first."""
    cur = []
    with open(path, errors="replace") as f:
        for line in f:
            if not line.strip():
                if cur:
                    yield cur
                cur = []
            elif line[0] not in " \t":
                cur = []                       # the sample's header line (comm, tid)
            else:
                parts = line.strip().split(None, 1)
                cur.append(parts[1] if len(parts) > 1 else parts[0])
    if cur:
        yield cur


def short(frame):
    """A JIT frame without its signature and return type."""
    return re.sub(r"\(.*", "", frame).split(" ")[-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("samples")
    ap.add_argument("pattern")
    ap.add_argument("--depth", type=int, default=1)
    ap.add_argument("--top", type=int, default=30)
    a = ap.parse_args()
    total = hit = 0
    below = collections.Counter()
    for st in stacks(a.samples):
        total += 1
        at = [i for i, fr in enumerate(st) if a.pattern in fr]
        if not at:
            continue
        hit += 1
        i = max(at)
        if a.depth == 0:
            continue
        key = " < ".join(short(st[j]) for j in range(max(i - a.depth, 0), i)[::-1]) if i > 0 else "(self)"
        below[key] += 1
    if total == 0:
        raise SystemExit("no samples in " + a.samples)
    print(f"{hit}/{total} samples ({100 * hit / total:.1f} %) under {a.pattern}")
    for k, v in below.most_common(a.top):
        print(f"{100 * v / total:6.2f} %  {k}")


if __name__ == "__main__":
    main()
