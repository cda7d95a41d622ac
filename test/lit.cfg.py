# -*- Python -*-
import os
import shutil

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "QUANTC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtext", ".test", ".py"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.quantc_obj_root, "test")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

python = config.python_executable or shutil.which("python3")
src = config.quantc_src_root
# Inserted first: lit applies the first match, and the default substitutions
# already map %python to the interpreter running lit, which may lack numpy.
# %quantc_src and %quantc-opt precede %quantc, which is a prefix of both.
for key, value in reversed([
        ("%python", python),
        ("%quantc_src", src),
        ("%quantc-opt", os.path.join(config.quantc_tools_dir, "quantc-opt")),
        ("%quantc-run", os.path.join(config.quantc_tools_dir, "quantc-run")),
        ("%quantc", os.path.join(config.quantc_tools_dir, "quantc")),
        # Turns an .onnxtext file (onnx.parser syntax) into a binary model.
        ("%onnx-from-text", f"{python} {src}/utils/onnx_from_text.py"),
        # Where libomp lives, for C programs linking a compiled model.
        ("%omp_libdir", config.quantc_omp_libdir),
]):
    config.substitutions.insert(0, (key, value))

# Natively built microkernel tests, and the vector widths this host runs.
config.substitutions.append(
    ("%kernel_test_dir", os.path.join(config.quantc_obj_root, "test", "Kernels")))
try:
    with open("/proc/cpuinfo") as f:
        cpu_flags = set(next((l for l in f if l.startswith("flags")), "").split())
except OSError:
    cpu_flags = set()
if {"avx2", "fma", "f16c"} <= cpu_flags:
    config.available_features.add("cpu-avx2")
if {"avx512f", "avx512bw", "avx512dq", "avx512vl", "avx2", "fma", "f16c"} <= cpu_flags:
    config.available_features.add("cpu-avx512")
    if "avx512_vnni" in cpu_flags:
        config.available_features.add("cpu-avx512vnni")

node_tests = os.environ.get("QUANTC_NODE_TESTS") or os.path.join(
    src, "..", "shared", "onnx-node-tests", "node")
config.substitutions.append(("%node_tests", node_tests))
if os.path.isdir(node_tests):
    config.available_features.add("node-tests")

# Debian's dataset-fashion-mnist, for the accuracy test of utils/eval.
fmnist_dir = os.environ.get("FMNIST_DIR") or "/usr/share/datasets/fashion-mnist"
config.substitutions.append(("%fmnist_dir", fmnist_dir))
if os.path.isfile(os.path.join(fmnist_dir, "t10k-images-idx3-ubyte.gz")):
    config.available_features.add("fashion-mnist")

llvm_config.add_tool_substitutions(
    [ToolSubst("quantc-opt", unresolved="fatal"), ToolSubst("quantc", unresolved="fatal")],
    [config.quantc_tools_dir])
