#!/usr/bin/env bash
# Configure (once) and build quantc.
#   bash utils/build.sh [TARGET...]      default target: all
# Environment: QUANTC_BUILD_DIR (default build), QUANTC_CMAKE_ARGS (extra
# arguments for the first configure, e.g. -DCMAKE_BUILD_TYPE=Debug).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${QUANTC_BUILD_DIR:-build}
LLVM_PREFIX=/usr/lib/llvm-22

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  # shellcheck disable=SC2086  # QUANTC_CMAKE_ARGS is a list of words
  cmake -G Ninja -S . -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR="$LLVM_PREFIX/lib/cmake/mlir" \
    -DCMAKE_C_COMPILER=clang-22 \
    -DCMAKE_CXX_COMPILER=clang++-22 \
    ${QUANTC_CMAKE_ARGS:-}
fi

if [ $# -eq 0 ]; then
  set -- all
fi
cmake --build "$BUILD_DIR" --target "$@"
