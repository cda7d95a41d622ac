/*===- quantc_model.h - the C ABI of models compiled by quantc -----------===*
 *
 * Every compiled model exports two functions, named after the prefix given
 * to `quantc compile --prefix P` (default "model"):
 *
 *   const qc_model_info *P_info(void);
 *   int32_t P_run(void *const *inputs, void *const *outputs);
 *
 * `inputs` and `outputs` hold one pointer per tensor, in signature order, to
 * dense C-order buffers of the declared element type and shape, owned by the
 * caller. The model keeps no state between calls; concurrent calls on
 * different buffers are safe.
 *===----------------------------------------------------------------------===*/
#ifndef QUANTC_MODEL_H
#define QUANTC_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QC_ABI_VERSION 1

/* Element types use the ONNX TensorProto.DataType codes. */
enum qc_dtype {
  QC_FLOAT = 1, QC_UINT8 = 2, QC_INT8 = 3, QC_UINT16 = 4, QC_INT16 = 5,
  QC_INT32 = 6, QC_INT64 = 7, QC_BOOL = 9, QC_FLOAT16 = 10, QC_DOUBLE = 11,
  QC_UINT32 = 12, QC_UINT64 = 13, QC_BFLOAT16 = 16, QC_FLOAT8E4M3FN = 17,
  QC_FLOAT8E4M3FNUZ = 18, QC_FLOAT8E5M2 = 19, QC_FLOAT8E5M2FNUZ = 20,
  QC_UINT4 = 21, QC_INT4 = 22, QC_FLOAT4E2M1 = 23
};
/* bfloat16 and the float8 types are stored as their bits (2 and 1 bytes);
 * the 4-bit types take one byte per element, the value in the low nibble
 * (two's complement for INT4, E2M1 bits for FLOAT4E2M1), high nibble zero. */

enum qc_status {
  QC_OK = 0,
  QC_ERROR_NULL_BUFFER = 1 /* a required buffer pointer was NULL */
};

typedef struct qc_tensor_info {
  const char *name;
  int32_t dtype; /* enum qc_dtype */
  int32_t rank;
  const int64_t *shape;
} qc_tensor_info;

typedef struct qc_model_info {
  int32_t abi_version; /* QC_ABI_VERSION */
  int32_t num_inputs;
  int32_t num_outputs;
  const qc_tensor_info *inputs;
  const qc_tensor_info *outputs;
} qc_model_info;

typedef const qc_model_info *(*qc_info_fn)(void);
typedef int32_t (*qc_run_fn)(void *const *inputs, void *const *outputs);

#ifdef __cplusplus
}
#endif

#endif /* QUANTC_MODEL_H */
