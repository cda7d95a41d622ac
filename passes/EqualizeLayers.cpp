//===- EqualizeLayers.cpp - cross-layer equalization of Conv pairs --------===//
//
// Per-channel weight ranges of two Convs in a row can differ by orders of
// magnitude (depthwise layers after BatchNormalization folding), which
// wastes int8 levels. For Conv1 -> [Relu] -> Conv2, where Conv1's output
// channel c is Conv2's input channel c and nothing else reads it, scaling
// channel c of Conv1 (filter and bias) by 1/s_c and Conv2's input channel
// c by s_c computes the same function (Relu(x / s) = Relu(x) / s for
// s > 0). s_c = sqrt(r1_c / r2_c) gives both the range sqrt(r1_c * r2_c)
// (r1_c: max |W1| of output channel c, r2_c: max |W2| over input channel
// c). Clip is not positively homogeneous and stops a pair, as does any
// other op. Changed Convs get `qc.equalized` (the QDQ export writes their
// float weights).
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/Quantization.h"

#include <cmath>

namespace qc {
#define GEN_PASS_DEF_EQUALIZELAYERS
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

// A constant f32 operand as values, with its type.
struct Constant {
  RankedTensorType type;
  SmallVector<float> values;
};

std::optional<Constant> readConstant(Value v) {
  DenseElementsAttr attr = constantAsDense(v);
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!attr || !type || !type.getElementType().isF32() || !type.hasStaticShape())
    return std::nullopt;
  return Constant{type, SmallVector<float>(attr.getValues<float>())};
}

Value writeConstant(OpBuilder &b, Operation *user, const Constant &c, StringRef suffix) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(user);
  std::string name = onnxNodeName(user) + suffix.str();
  return createConstant(b, NameLoc::get(b.getStringAttr(name), user->getLoc()), c.type,
                        ArrayRef<char>(reinterpret_cast<const char *>(c.values.data()),
                                       c.values.size() * sizeof(float)),
                        name);
}

// Conv2's filter is [M, C / group, kh, kw]: input channel c of a plain Conv
// is W2[:, c]; of a depthwise one (group == C, one channel per group),
// W2[c].
bool equalize(OpBuilder &b, ConvOp first, ConvOp second) {
  std::optional<Constant> w1 = readConstant(first.getW()), w2 = readConstant(second.getW());
  if (!w1 || !w2 || w1->type.getRank() != 4 || w2->type.getRank() != 4)
    return false;
  // The first Conv's filter and bias must be its own to change.
  if (!first.getW().hasOneUse() || !second.getW().hasOneUse() ||
      (!isa<NoneType>(first.getB().getType()) && !first.getB().hasOneUse()))
    return false;
  int64_t channels = w1->type.getDimSize(0);
  int64_t group1 = first.getGroup(), group2 = second.getGroup();
  bool depthwise2 =
      group2 == channels && w2->type.getDimSize(0) == channels && w2->type.getDimSize(1) == 1;
  if ((group2 != 1 && !depthwise2) || (group2 == 1 && w2->type.getDimSize(1) != channels) ||
      (group1 != 1 && group1 != channels))
    return false;
  std::optional<Constant> b1;
  if (!isa<NoneType>(first.getB().getType()) &&
      (!(b1 = readConstant(first.getB())) || b1->values.size() != static_cast<size_t>(channels)))
    return false;

  int64_t per1 = w1->values.size() / channels;
  int64_t outs2 = w2->type.getDimSize(0),
          spatial2 = w2->type.getDimSize(2) * w2->type.getDimSize(3);
  auto index2 = [&](int64_t m, int64_t c, int64_t k) {
    return depthwise2 ? c * spatial2 + k : (m * channels + c) * spatial2 + k;
  };
  int64_t rows2 = depthwise2 ? 1 : outs2;
  bool changed = false;
  for (int64_t c = 0; c < channels; ++c) {
    double r1 = 0, r2 = 0;
    for (int64_t i = 0; i < per1; ++i)
      r1 = std::max(r1, static_cast<double>(std::fabs(w1->values[c * per1 + i])));
    for (int64_t m = 0; m < rows2; ++m)
      for (int64_t k = 0; k < spatial2; ++k)
        r2 = std::max(r2, static_cast<double>(std::fabs(w2->values[index2(m, c, k)])));
    if (!(r1 > 0) || !(r2 > 0))
      continue;
    double s = std::sqrt(r1 / r2);
    if (!std::isfinite(s) || std::fabs(s - 1) < 1e-6)
      continue;
    for (int64_t i = 0; i < per1; ++i)
      w1->values[c * per1 + i] = static_cast<float>(w1->values[c * per1 + i] / s);
    if (b1)
      b1->values[c] = static_cast<float>(b1->values[c] / s);
    for (int64_t m = 0; m < rows2; ++m)
      for (int64_t k = 0; k < spatial2; ++k)
        w2->values[index2(m, c, k)] = static_cast<float>(w2->values[index2(m, c, k)] * s);
    changed = true;
  }
  if (!changed)
    return false;
  first->setOperand(1, writeConstant(b, first, *w1, "_equalized_W"));
  if (b1)
    first->setOperand(2, writeConstant(b, first, *b1, "_equalized_B"));
  second->setOperand(1, writeConstant(b, second, *w2, "_equalized_W"));
  first->setAttr("qc.equalized", b.getUnitAttr());
  second->setAttr("qc.equalized", b.getUnitAttr());
  return true;
}

struct EqualizeLayersPass : impl::EqualizeLayersBase<EqualizeLayersPass> {
  void runOnOperation() override {
    OpBuilder b(&getContext());
    SmallVector<std::pair<ConvOp, ConvOp>> pairs;
    getOperation().walk([&](ConvOp first) {
      Value out = first.getY();
      if (!out.hasOneUse())
        return;
      Operation *user = *out.getUsers().begin();
      if (isa<ReluOp>(user)) {
        if (!user->getResult(0).hasOneUse())
          return;
        user = *user->getResult(0).getUsers().begin();
      }
      if (auto second = dyn_cast<ConvOp>(user))
        pairs.push_back({first, second});
    });
    // In program order: in a chain A -> B -> C, B -> C reads the filter of
    // B that A -> B wrote.
    for (auto [first, second] : pairs)
      equalize(b, first, second);
    // Constants nothing reads any more.
    getOperation().walk([](ConstantOp c) {
      if (c->use_empty())
        c->erase();
    });
  }
};

} // namespace
} // namespace qc
