//===- ExeMain.cpp - main() of executables from quantc compile --emit exe -===//
#include "Runtime/Runner.h"

// `quantc compile --emit exe` defines these aliases of the model's P_info
// and P_run.
extern "C" const qc_model_info *quantc_exe_info(void);
extern "C" int32_t quantc_exe_run(void *const *inputs, void *const *outputs);

int main(int argc, char **argv) {
  return qc::runnerMain(argc, argv, 1, argv[0], quantc_exe_info(), quantc_exe_run);
}
