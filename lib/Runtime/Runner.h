//===- Runner.h - run a compiled model on .npy files ------------*- C++ -*-===//
//
// Shared by quantc-run (which dlopens a model library) and the main() of
// executables from `quantc compile --emit exe`. No LLVM dependency.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_RUNTIME_RUNNER_H
#define QUANTC_RUNTIME_RUNNER_H

#include "Runtime/ProfileTable.h"
#include "Runtime/quantc_model.h"

namespace qc {

// Parses `[--input NAME=FILE.npy]... [--inputs FILE.npz] [--random-inputs]
// [--output-dir DIR] [--output-npz FILE] [--bench N] [--threads T]
// [--profile]` from argv[first...] and runs the model. Returns the process
// exit status (0 success, 1 bad input or failure). `profile` is the
// model's layer table when it was compiled with --profile (null if not);
// --profile prints it after the runs, against the measured peaks.
int runnerMain(int argc, char **argv, int first, const char *tool,
               const qc_model_info *info, qc_run_fn run, ProfileTable *profile = nullptr);

// Sets the team size of the OpenMP runtime that compiled models' parallel
// loops use (in the process, or loaded by a model library or the JIT) and
// returns the size it had; 0 when no runtime is loaded (nothing is set).
int setParallelThreads(int threads);

} // namespace qc

#endif // QUANTC_RUNTIME_RUNNER_H
