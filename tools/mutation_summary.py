#!/usr/bin/env python3
"""Merges the PIT reports of every module into one mutation score (./arcgrad mutation runs it).

Each module's PIT run mutates its own classes with its own tests, and the tests module mutates the
other modules' classes with the cross-module tests; a mutant counts as killed when any run killed
it (or timed it out: an infinite loop is a detected fault, as PIT counts it). Mutants judged
equivalent, listed with the reason in tools/mutation-equivalent.txt, leave the denominator;
mutants that only a test outside PIT's reach kills (tools/mutation-killed-elsewhere.txt, each
planted by hand against that test) count as killed, in a column of their own.

Writes target/mutation/summary.txt and target/mutation/survivors.txt, prints the summary, and
exits 1 when the score is below the target given by --target (percent).
"""
import argparse
import os
import sys
import xml.etree.ElementTree as ET
from collections import OrderedDict

MODULES = ["autodiff", "kernels-opencl", "arcface", "tests"]
DETECTED = {"KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR"}


def rank(status):
    """Which run's verdict a merged mutant keeps: detected over survived over not covered."""
    return 3 if status in DETECTED else 2 if status == "SURVIVED" else 1 if status == "NO_COVERAGE" else 0


def key_of(m):
    """Identity of a mutant across runs: where it is and what it changes."""
    return (m.findtext("mutatedClass"), m.findtext("mutatedMethod"), m.findtext("methodDescription"),
            m.findtext("lineNumber"), m.findtext("mutator"), m.findtext("indexes/index"), m.findtext("description"))


def equivalence_key(k):
    """The form tools/mutation-equivalent.txt uses: Class.method:line: description."""
    cls, method, _, line, _, _, description = k
    return f"{cls.rsplit('.', 1)[-1]}.{method}:{line}: {description}"


def read_judged(path):
    judged = OrderedDict()
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for raw in f:
                line = raw.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                mutant, _, reason = line.partition("  # ")
                judged[mutant.strip()] = reason.strip()
    return judged


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--target", type=float, default=90.0, help="score in percent below which to exit 1")
    args = parser.parse_args()

    merged = OrderedDict()
    runs = []
    for module in MODULES:
        report = os.path.join(args.root, module, "target", "pit-reports", "mutations.xml")
        if not os.path.exists(report):
            print(f"mutation summary: {report} is missing (did PIT run for {module}?)", file=sys.stderr)
            sys.exit(2)
        runs.append(module)
        for m in ET.parse(report).getroot().iter("mutation"):
            k = key_of(m)
            status = m.get("status")
            previous = merged.get(k)
            if previous is None or rank(status) > rank(previous[0]):
                merged[k] = (status, m.findtext("killingTest") or "", module)

    equivalents = read_judged(os.path.join(args.root, "tools", "mutation-equivalent.txt"))
    elsewhere = read_judged(os.path.join(args.root, "tools", "mutation-killed-elsewhere.txt"))
    stale = (set(equivalents) | set(elsewhere)) - {equivalence_key(k) for k in merged}
    by_package = OrderedDict()
    survivors = []
    for k, (status, _, _) in merged.items():
        package = k[0].rsplit(".", 1)[0]
        row = by_package.setdefault(package, {"mutants": 0, "killed": 0, "elsewhere": 0, "survived": 0, "no coverage": 0,
                                              "equivalent": 0})
        row["mutants"] += 1
        if status in DETECTED:
            row["killed"] += 1
        elif equivalence_key(k) in elsewhere:
            row["elsewhere"] += 1
        elif equivalence_key(k) in equivalents:
            row["equivalent"] += 1
        elif status == "NO_COVERAGE":
            row["no coverage"] += 1
            survivors.append((k, status))
        else:
            row["survived"] += 1
            survivors.append((k, status))

    def score(r):
        judged = r["mutants"] - r["equivalent"]
        return 100.0 * (r["killed"] + r["elsewhere"]) / judged if judged else 100.0

    columns = ["mutants", "killed", "elsewhere", "survived", "no coverage", "equivalent"]
    total = {c: sum(r[c] for r in by_package.values()) for c in columns}
    lines = [f"PIT mutation testing, merged over {', '.join(runs)} (killed in any run counts)", ""]
    lines.append(f"{'package':<28} {'mutants':>8} {'killed':>7} {'elsewhere':>10} {'survived':>9} {'no cover':>9} {'equiv.':>7} "
                 f"{'score':>7}")
    for package, r in list(by_package.items()) + [("all", total)]:
        lines.append(f"{package:<28} {r['mutants']:>8} {r['killed']:>7} {r['elsewhere']:>10} {r['survived']:>9} {r['no coverage']:>9} "
                     f"{r['equivalent']:>7} {score(r):>6.1f}%")
    lines.append("")
    lines.append(f"score: {score(total):.1f}% of {total['mutants'] - total['equivalent']} non-equivalent mutants killed "
                 f"({total['elsewhere']} of them by tests outside PIT, tools/mutation-killed-elsewhere.txt; "
                 f"{total['equivalent']} judged equivalent, tools/mutation-equivalent.txt; target {args.target:.0f}%)")
    lines.append(f"without the judged lists: {100.0 * total['killed'] / total['mutants']:.1f}% of all {total['mutants']} mutants killed by PIT")
    if stale:
        lines.append(f"{len(stale)} entries of the judged lists match no mutant any more (the code moved; see survivors.txt)")
    summary = "\n".join(lines) + "\n"

    out = os.path.join(args.root, "target", "mutation")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "summary.txt"), "w", encoding="utf-8") as f:
        f.write(summary)
    with open(os.path.join(out, "survivors.txt"), "w", encoding="utf-8") as f:
        for k, status in sorted(survivors, key=lambda s: (s[0][0], int(s[0][3]))):
            f.write(f"{equivalence_key(k)}  [{status}]\n")
        for e in sorted(stale):
            f.write(f"stale equivalence entry: {e}\n")
    print(summary, end="")
    print(f"surviving mutants: {os.path.join(out, 'survivors.txt')}; reports: <module>/target/pit-reports/index.html")
    sys.exit(0 if score(total) >= args.target else 1)


if __name__ == "__main__":
    main()
