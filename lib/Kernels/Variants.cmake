# Microkernel variants: name, vector width in bytes, target features. The
# compiler picks one by its target machine's features (LinkKernels.cpp);
# test/Kernels builds each natively.
# avx512vnni differs only in the INT8 kernels (vpdpbusd, vpdpwssd).
set(QUANTC_KERNEL_VARIANTS
  "avx512vnni\;64\;-mavx512f -mavx512bw -mavx512dq -mavx512vl -mavx512vnni -mavx2 -mfma -mf16c"
  "avx512\;64\;-mavx512f -mavx512bw -mavx512dq -mavx512vl -mavx2 -mfma -mf16c"
  "avx2\;32\;-mavx2 -mfma -mf16c"
  "sse2\;16\;")
