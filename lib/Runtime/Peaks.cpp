//===- Peaks.cpp - the machine's measured multiply-add peaks --------------===//
//
// Each kernel keeps 12 independent accumulators (more than latency x
// throughput on current x86 cores) and hides its operands from the
// optimizer with an empty asm, so that the loop is the instruction
// measured and nothing else. Functions are compiled for their instruction
// set by target attributes and only called where the CPU has it.
//
//===----------------------------------------------------------------------===//
#include "Runtime/Peaks.h"

#include <chrono>
#include <cstdint>
#include <immintrin.h>

namespace qc {
namespace {

constexpr int kChains = 12;

// Multiply-adds per second of `kernel(iterations)`, which performs
// `macsPerIteration` each time: best of a few timed runs.
template <typename Kernel> double rate(Kernel kernel, double macsPerIteration) {
  long iterations = 1 << 16;
  kernel(1000);
  double best = 0;
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto start = std::chrono::steady_clock::now();
    kernel(iterations);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (seconds < 0.004) {
      iterations *= 2;
      --attempt;
      continue;
    }
    double r = macsPerIteration * double(iterations) / seconds;
    best = r > best ? r : best;
  }
  return best;
}

#define QC_CHAIN_KERNEL(name, isa, type, init, step, sink)                                         \
  __attribute__((target(isa), noinline)) void name(long iterations, int32_t *out) {                \
    type acc[kChains];                                                                             \
    type operand = init;                                                                           \
    for (int i = 0; i < kChains; ++i)                                                              \
      acc[i] = init;                                                                               \
    for (long n = 0; n < iterations; ++n)                                                          \
      for (int i = 0; i < kChains; ++i) {                                                          \
        asm volatile("" : "+v"(operand));                                                          \
        acc[i] = step;                                                                             \
      }                                                                                            \
    type total = acc[0];                                                                           \
    for (int i = 1; i < kChains; ++i)                                                              \
      total = sink;                                                                                \
    __builtin_memcpy(out, &total, sizeof(int32_t));                                                \
  }

QC_CHAIN_KERNEL(fmaAvx2, "avx2,fma", __m256, _mm256_set1_ps(1.0f),
                _mm256_fmadd_ps(operand, operand, acc[i]), _mm256_add_ps(total, acc[i]))
QC_CHAIN_KERNEL(fmaAvx512, "avx512f", __m512, _mm512_set1_ps(1.0f),
                _mm512_fmadd_ps(operand, operand, acc[i]), _mm512_add_ps(total, acc[i]))
QC_CHAIN_KERNEL(maddubsAvx2, "avx2", __m256i, _mm256_set1_epi8(1),
                _mm256_add_epi32(acc[i], _mm256_madd_epi16(_mm256_maddubs_epi16(operand, operand),
                                                           _mm256_set1_epi16(1))),
                _mm256_add_epi32(total, acc[i]))
QC_CHAIN_KERNEL(maddubsAvx512, "avx512bw", __m512i, _mm512_set1_epi8(1),
                _mm512_add_epi32(acc[i], _mm512_madd_epi16(_mm512_maddubs_epi16(operand, operand),
                                                           _mm512_set1_epi16(1))),
                _mm512_add_epi32(total, acc[i]))
QC_CHAIN_KERNEL(dpbusdAvx512, "avx512vnni,avx512bw", __m512i, _mm512_set1_epi8(1),
                _mm512_dpbusd_epi32(acc[i], operand, operand), _mm512_add_epi32(total, acc[i]))
QC_CHAIN_KERNEL(dpbusdAvxVnni, "avxvnni,avx2", __m256i, _mm256_set1_epi8(1),
                _mm256_dpbusd_avx_epi32(acc[i], operand, operand), _mm256_add_epi32(total, acc[i]))
QC_CHAIN_KERNEL(maddwdAvx2, "avx2", __m256i, _mm256_set1_epi16(1),
                _mm256_add_epi32(acc[i], _mm256_madd_epi16(operand, operand)),
                _mm256_add_epi32(total, acc[i]))
QC_CHAIN_KERNEL(maddwdAvx512, "avx512bw", __m512i, _mm512_set1_epi16(1),
                _mm512_add_epi32(acc[i], _mm512_madd_epi16(operand, operand)),
                _mm512_add_epi32(total, acc[i]))
QC_CHAIN_KERNEL(dpwssdAvx512, "avx512vnni,avx512bw", __m512i, _mm512_set1_epi16(1),
                _mm512_dpwssd_epi32(acc[i], operand, operand), _mm512_add_epi32(total, acc[i]))

#undef QC_CHAIN_KERNEL

template <typename Kernel> double measure(Kernel kernel, double lanesMacs) {
  int32_t sink;
  return rate([&](long n) { kernel(n, &sink); }, lanesMacs * kChains);
}

} // namespace

Peaks measurePeaks() {
  Peaks p;
  __builtin_cpu_init();
  bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  bool vnni512 = avx512 && __builtin_cpu_supports("avx512vnni");
  bool avxvnni = __builtin_cpu_supports("avxvnni");
  bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (avx512) {
    p.fp32 = measure(fmaAvx512, 16);
    p.fp32Instruction = "vfmadd (zmm)";
  } else if (avx2) {
    p.fp32 = measure(fmaAvx2, 8);
    p.fp32Instruction = "vfmadd (ymm)";
  }
  if (vnni512) {
    p.int8 = measure(dpbusdAvx512, 64);
    p.int8Instruction = "vpdpbusd (zmm)";
    p.int16 = measure(dpwssdAvx512, 32);
    p.int16Instruction = "vpdpwssd (zmm)";
  } else if (avx512) {
    p.int8 = measure(maddubsAvx512, 64);
    p.int8Instruction = "vpmaddubsw+vpmaddwd (zmm)";
    p.int16 = measure(maddwdAvx512, 32);
    p.int16Instruction = "vpmaddwd (zmm)";
  } else if (avxvnni) {
    p.int8 = measure(dpbusdAvxVnni, 32);
    p.int8Instruction = "vpdpbusd (ymm, AVX-VNNI)";
    p.int16 = measure(maddwdAvx2, 16);
    p.int16Instruction = "vpmaddwd (ymm)";
  } else if (avx2) {
    p.int8 = measure(maddubsAvx2, 32);
    p.int8Instruction = "vpmaddubsw+vpmaddwd (ymm)";
    p.int16 = measure(maddwdAvx2, 16);
    p.int16Instruction = "vpmaddwd (ymm)";
  }
  return p;
}

} // namespace qc
