/* Calls a model compiled by `quantc compile` through its generated header. */
#include "model.h"

#include <math.h>
#include <stdio.h>

int main(void) {
  const qc_model_info *info = model_info();
  printf("abi %d inputs %d outputs %d\n", info->abi_version, info->num_inputs,
         info->num_outputs);
  printf("input %s dtype %d shape %lldx%lld\n", info->inputs[0].name, info->inputs[0].dtype,
         (long long)info->inputs[0].shape[0], (long long)info->inputs[0].shape[1]);
  float x[6] = {0, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f}, y[6];
  const float w[3] = {1, 2, 3};
  void *inputs[] = {x}, *outputs[] = {y};
  printf("status %d\n", model_run(inputs, outputs));
  double worst = 0;
  for (int i = 0; i < 6; ++i) {
    double err = fabs(y[i] - erf(x[i] + w[i % 3]));
    if (err > worst)
      worst = err;
  }
  printf("max error %s\n", worst < 1e-6 ? "ok" : "BAD");
  void *none[] = {NULL};
  printf("null buffer status %d\n", model_run(none, outputs));
  return 0;
}
