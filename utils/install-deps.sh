#!/usr/bin/env bash
# Install what quantc needs to build and test: LLVM/MLIR 22 and ONNX from
# Debian's packages, the Python packages from utils/requirements*.txt.
# Idempotent: apt is skipped when every package is already installed, and pip
# does not touch requirements that are already satisfied.
# Environment: PYTHON (default python3) is the interpreter the pip packages go to.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22 libomp-22-dev
  libonnx-dev protobuf-compiler libprotobuf-dev
  libpng-dev libjpeg-dev
  ninja-build ccache cmake
  dataset-fashion-mnist
)
PYTHON=${PYTHON:-python3}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "install-deps: need root or sudo to run: $*" >&2
    exit 1
  fi
}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: apt packages already installed"
else
  echo "install-deps: installing ${missing[*]}"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${APT_PACKAGES[@]}"
fi

pip_install() {
  PIP_ROOT_USER_ACTION=ignore "$PYTHON" -m pip install --disable-pip-version-check -q "$@"
}
pip_install -r utils/requirements.txt
pip_install --no-deps -r utils/requirements-nodeps.txt
echo "install-deps: python packages satisfied ($("$PYTHON" -c 'import sys; print(sys.executable)'))"
