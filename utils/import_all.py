#!/usr/bin/env python3
"""Import every ONNX backend node test model with `quantc import`.

Each case directory under the root holds a model.onnx. A case is
  imported        quantc exited 0,
  diagnosed       quantc exited 1 with an error on stderr,
  bad-diagnostic  quantc exited 1 but said nothing that mentions "error",
  crashed         quantc was killed by a signal or exited with another code,
  hung            quantc ran past the timeout.
The summary line is
  imported=N diagnosed=N crashed=N hung=N bad-diagnostic=N total=N
and the exit status is 1 if any case crashed, hung or had a bad diagnostic.
"""

import argparse
import collections
import concurrent.futures
import json
import os
import re
import signal
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_ROOT = os.path.join(os.path.dirname(REPO), "shared", "onnx-node-tests", "node")
STATUSES = ("imported", "diagnosed", "crashed", "hung", "bad-diagnostic")
FAILING = ("crashed", "hung", "bad-diagnostic")


def first_diagnostic(stderr):
    """The first line that mentions an error, else the first non-empty line."""
    lines = [l.strip() for l in stderr.splitlines() if l.strip()]
    for line in lines:
        if "error" in line.lower():
            return line
    return lines[0] if lines else ""


def run_case(quantc, case_dir, timeout):
    cmd = [quantc, "import", os.path.join(case_dir, "model.onnx"), "-o", os.devnull]
    # LLVM's crash handler would otherwise spend seconds symbolizing a stack.
    env = dict(os.environ, LLVM_DISABLE_SYMBOLIZATION="1")
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, errors="replace", timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"status": "hung", "returncode": None,
                "seconds": round(time.monotonic() - start, 3), "diagnostic": ""}
    rc = proc.returncode
    diag = first_diagnostic(proc.stderr)
    if rc == 0:
        status = "imported"
    elif rc == 1:
        status = "diagnosed" if "error" in proc.stderr.lower() else "bad-diagnostic"
    else:
        status = "crashed"
    return {"status": status, "returncode": rc,
            "seconds": round(time.monotonic() - start, 3), "diagnostic": diag}


def describe_rc(rc):
    if rc is None:
        return "timeout"
    if rc < 0:
        try:
            return signal.Signals(-rc).name
        except ValueError:
            return f"signal {-rc}"
    return f"exit {rc}"


def normalise(diag, case):
    """Group diagnostics that differ only in where they happened."""
    text = diag
    i = text.find("error:")
    if i < 0:
        i = text.lower().find("error")
    if i > 0:  # drop the location (it carries the node name)
        text = text[i:]
    text = text.replace(case, "<case>")
    text = re.sub(r"""\bnode\s+(['"]).*?\1""", "node <name>", text)
    return text


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quantc", default=os.path.join(REPO, "build", "bin", "quantc"),
                    help="quantc binary (default: %(default)s)")
    ap.add_argument("--root", default=os.environ.get("QUANTC_NODE_TESTS", DEFAULT_ROOT),
                    help="node test root, one case per directory "
                         "(default: $QUANTC_NODE_TESTS or %(default)s)")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="parallel imports (default: 2)")
    ap.add_argument("--timeout", type=float, default=60, help="seconds per model (default: 60)")
    ap.add_argument("--filter", help="only cases whose name matches this regex")
    ap.add_argument("--json", metavar="PATH", help="write a per-case JSON summary here")
    ap.add_argument("--top-reasons", action="store_true",
                    help="print the 30 most common diagnostics (normalised)")
    args = ap.parse_args()

    if not os.path.isfile(args.quantc) or not os.access(args.quantc, os.X_OK):
        sys.exit(f"import_all: no executable quantc at {args.quantc}")
    if not os.path.isdir(args.root):
        sys.exit(f"import_all: no node test root at {args.root}")
    cases = sorted(d for d in os.listdir(args.root)
                   if os.path.isfile(os.path.join(args.root, d, "model.onnx")))
    if args.filter:
        cases = [c for c in cases if re.search(args.filter, c)]
    if not cases:
        sys.exit(f"import_all: no case (<dir>/model.onnx) under {args.root}")

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {c: pool.submit(run_case, args.quantc, os.path.join(args.root, c), args.timeout)
                   for c in cases}
        results = {c: f.result() for c, f in futures.items()}

    counts = collections.Counter(r["status"] for r in results.values())
    for case, r in results.items():
        if r["status"] in FAILING:
            print(f"{r['status']}: {case} ({describe_rc(r['returncode'])})"
                  + (f": {r['diagnostic']}" if r["diagnostic"] else ""))

    if args.top_reasons:
        reasons = collections.Counter(normalise(r["diagnostic"], c)
                                      for c, r in results.items() if r["status"] == "diagnosed")
        print("top diagnostics:")
        for text, n in reasons.most_common(30):
            print(f"{n:6d}  {text}")

    summary = {s: counts[s] for s in STATUSES}
    summary["total"] = len(cases)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"quantc": args.quantc, "root": args.root, "summary": summary,
                       "cases": results}, f, indent=1, sort_keys=True)
            f.write("\n")
    print(" ".join(f"{k}={v}" for k, v in summary.items()))
    return 1 if any(counts[s] for s in FAILING) else 0


if __name__ == "__main__":
    sys.exit(main())
