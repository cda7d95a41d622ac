//===- Profile.cpp - the clock of profiled models -------------------------===//
//
// qc-profile-layers brackets each layer with qc_uk_profile_now and
// qc_uk_profile_add; linked into the model like the other microkernels,
// so a profiled model needs nothing from the process that loads it.
//
//===----------------------------------------------------------------------===//
#include "Kernels/Microkernels.h"

#include <time.h>

extern "C" {

int64_t qc_uk_profile_now(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return int64_t(now.tv_sec) * 1000000000 + now.tv_nsec;
}

void qc_uk_profile_add(int64_t row, int64_t start) {
  // Layers run one after another on the calling thread.
  auto *totals = reinterpret_cast<int64_t *>(row);
  totals[2] += qc_uk_profile_now() - start;
  totals[3] += 1;
}

} // extern "C"
