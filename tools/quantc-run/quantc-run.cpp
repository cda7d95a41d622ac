//===- quantc-run.cpp - run a model library built by quantc compile -------===//
//
// quantc-run model.so [--prefix P] [--input NAME=FILE.npy]... [--random-inputs]
//                     [--output-dir DIR] [--bench N] [--threads T]
//
//===----------------------------------------------------------------------===//
#include "Runtime/Runner.h"

#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <string>
#include <vector>

int main(int argc, char **argv) {
  const char *tool = "quantc-run";
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0) {
    std::fprintf(stderr,
                 "usage: %s MODEL.so [--prefix P] [--input NAME=FILE.npy]... [--inputs FILE.npz] "
                 "[--random-inputs] [--output-dir DIR] [--output-npz FILE] [--bench N] "
                 "[--threads T] [--profile]\n",
                 tool);
    return argc < 2 ? 1 : 0;
  }
  std::string library = argv[1];
  if (library.find('/') == std::string::npos)
    library = "./" + library; // dlopen searches the library path otherwise
  std::string prefix = "model";
  std::vector<char *> rest{argv[0]};
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--prefix") == 0 && i + 1 < argc)
      prefix = argv[++i];
    else if (std::strncmp(argv[i], "--prefix=", 9) == 0)
      prefix = argv[i] + 9;
    else
      rest.push_back(argv[i]);
  }
  void *handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    std::fprintf(stderr, "%s: cannot load '%s': %s\n", tool, argv[1], dlerror());
    return 1;
  }
  auto info = reinterpret_cast<qc_info_fn>(dlsym(handle, (prefix + "_info").c_str()));
  auto run = reinterpret_cast<qc_run_fn>(dlsym(handle, (prefix + "_run").c_str()));
  if (!info || !run) {
    std::fprintf(stderr, "%s: '%s' does not export %s_info and %s_run (wrong --prefix?)\n", tool,
                 argv[1], prefix.c_str(), prefix.c_str());
    return 1;
  }
  // A model compiled with --profile exports its layer table.
  qc::ProfileTable profile;
  auto *count = static_cast<int64_t *>(dlsym(handle, (prefix + "_profile_count").c_str()));
  profile.layers = static_cast<int64_t *>(dlsym(handle, (prefix + "_profile_layers").c_str()));
  profile.names = static_cast<const char *>(dlsym(handle, (prefix + "_profile_names").c_str()));
  bool profiled = count && profile.layers && profile.names;
  if (profiled)
    profile.count = *count;
  return qc::runnerMain(static_cast<int>(rest.size()), rest.data(), 1, tool, info(), run,
                        profiled ? &profile : nullptr);
}
