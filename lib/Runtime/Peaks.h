//===- Peaks.h - the machine's measured multiply-add peaks -------*- C++ -*-===//
//
// A microbenchmark of one core's arithmetic peaks, the yardsticks of
// `quantc-run --profile`: long chains of independent vector multiply-adds
// with no memory traffic, run for a few milliseconds each. No LLVM
// dependency.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_RUNTIME_PEAKS_H
#define QUANTC_RUNTIME_PEAKS_H

#include <string>

namespace qc {

struct Peaks {
  // Multiply-adds per second on one core (0: not measured on this CPU).
  double fp32 = 0;       // FMA on the widest float vectors the CPU has
  double int8 = 0;       // the best 8-bit dot product: VNNI vpdpbusd, else
                         // pmaddubsw + pmaddwd (AVX2)
  double int16 = 0;      // pmaddwd (or vpdpwssd with VNNI) on int16 pairs
  std::string fp32Instruction, int8Instruction, int16Instruction;
};

// Measures the peaks (about 0.1 s).
Peaks measurePeaks();

} // namespace qc

#endif // QUANTC_RUNTIME_PEAKS_H
