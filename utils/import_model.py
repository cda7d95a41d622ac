#!/usr/bin/env python3
"""Import a named real model (see find_model.py) with `quantc import`.

  import_model.py [--quantc PATH] NAME -o OUT.mlir [more quantc import options]

Exits with quantc's exit status and reports the import time on stderr.
"""

import argparse
import os
import subprocess
import sys
import time

from find_model import MODELS, find_model

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quantc", default=os.path.join(REPO, "build", "bin", "quantc"),
                    help="quantc binary (default: %(default)s)")
    ap.add_argument("name", choices=sorted(MODELS))
    ap.add_argument("-o", dest="out", required=True, help="output .mlir")
    args, extra = ap.parse_known_args()
    if not os.access(args.quantc, os.X_OK):
        sys.exit(f"import_model: no executable quantc at {args.quantc}")
    try:
        model = find_model(args.name)
    except LookupError as e:
        sys.exit(f"import_model: {e}")

    cmd = [args.quantc, "import", model, "-o", args.out] + extra
    start = time.monotonic()
    rc = subprocess.call(cmd)
    seconds = time.monotonic() - start
    if rc == 0:
        print(f"import_model: {args.name} imported in {seconds:.2f} s ({model})", file=sys.stderr)
    else:
        print(f"import_model: {' '.join(cmd)} failed with status {rc}", file=sys.stderr)
    return 128 - rc if rc < 0 else rc  # killed by a signal: as a shell reports it


if __name__ == "__main__":
    sys.exit(main())
