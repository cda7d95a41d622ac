#!/usr/bin/env bash
# Install dependencies, build quantc and run every lit test (target check-quantc).
set -euo pipefail
cd "$(dirname "$0")/.."

bash utils/install-deps.sh
BUILD_DIR=${QUANTC_BUILD_DIR:-build}
mkdir -p "$BUILD_DIR"
log="$BUILD_DIR/check-quantc.log"

status=0
bash utils/build.sh check-quantc 2>&1 | tee "$log" || status=$?

# One plain closing line from lit's summary ("  Passed: 12 (100.00%)", ...).
awk '
  /^ *(Passed|Expectedly Failed) *: *[0-9]+/                        { split($0, a, ":"); pass += a[2] + 0 }
  /^ *(Failed|Unresolved|Timed Out|Unexpectedly Passed) *: *[0-9]+/ { split($0, a, ":"); fail += a[2] + 0 }
  /^ *(Unsupported|Skipped|Excluded) *: *[0-9]+/                    { split($0, a, ":"); skip += a[2] + 0 }
  /^Total Discovered Tests:/                                         { seen = 1 }
  END { if (seen) printf "lit: %d passed, %d failed, %d skipped\n", pass, fail, skip }
' "$log"
exit "$status"
