//===- QCKOps.cpp - qck dialect and ops -----------------------------------===//
#include "QCK/QCKOps.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"

using namespace mlir;
using namespace qck;

#include "QCK/QCKDialect.cpp.inc"

void QCKDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "QCK/QCKOps.cpp.inc"
      >();
}

#define GET_OP_CLASSES
#include "QCK/QCKOps.cpp.inc"

// What both convolutions require of their window: 4-D input, filter and
// init, 4 pads, 2 strides and dilations, and channels that split into the
// groups.
template <typename ConvOp> static LogicalResult verifyConvWindow(ConvOp op) {
  auto input = cast<ShapedType>(op.getInput().getType());
  auto filter = cast<ShapedType>(op.getFilter().getType());
  auto init = cast<ShapedType>(op.getInit().getType());
  if (input.getRank() != 4 || filter.getRank() != 4 || init.getRank() != 4)
    return op.emitOpError("expects 4-D input, filter and init");
  if (op.getPads().size() != 4 || op.getStrides().size() != 2 || op.getDilations().size() != 2)
    return op.emitOpError("expects 4 pads, 2 strides and 2 dilations");
  int64_t group = op.getGroup();
  if (group < 1 || (input.hasStaticShape() && input.getDimSize(1) % group) ||
      (filter.hasStaticShape() &&
       (filter.getDimSize(0) % group ||
        (input.hasStaticShape() && filter.getDimSize(1) * group != input.getDimSize(1)))))
    return op.emitOpError("expects channels and filters divisible by group ")
           << group << " and a filter of channels / group input channels";
  return success();
}

LogicalResult Conv2DOp::verify() {
  if (failed(verifyConvWindow(*this)))
    return failure();
  auto init = cast<ShapedType>(getInit().getType());
  for (Value v : {getScale(), getShift()})
    if (cast<ShapedType>(v.getType()).getRank() != 1)
      return emitOpError("expects 1-D scale and shift");
  if (getResidual() && getResidual().getType() != getInit().getType())
    return emitOpError("expects the residual to have the init's type");
  StringRef activation = getActivation();
  if (activation != "none" && activation != "relu" && activation != "clip")
    return emitOpError("unknown activation '") << activation << "'";
  bool tensors = isa<RankedTensorType>(init);
  if (tensors != (getNumResults() == 1) || (tensors && getResult()[0].getType() != init))
    return emitOpError("has one result of the init's type on tensors, none on buffers");
  return success();
}

LogicalResult QConv2DOp::verify() {
  auto input = cast<ShapedType>(getInput().getType());
  auto filter = cast<ShapedType>(getFilter().getType());
  auto params = cast<ShapedType>(getParams().getType());
  auto init = cast<ShapedType>(getInit().getType());
  if (failed(verifyConvWindow(*this)))
    return failure();
  auto isByte = [](Type t) { return t.isInteger(8); };
  if (!isByte(input.getElementType()) || !isByte(filter.getElementType()) ||
      (getResidual() && !isByte(cast<ShapedType>(getResidual().getType()).getElementType())))
    return emitOpError("expects 8-bit input, filter and residual");
  bool sums = init.getElementType().isSignlessInteger(32);
  if (!isByte(init.getElementType()) && !(sums && !getResidual()))
    return emitOpError("expects an 8-bit init, or an i32 init (the sums) without a residual");
  if (params.getRank() != 2 || !params.getElementType().isInteger(32) ||
      (params.hasStaticShape() && filter.hasStaticShape() &&
       (params.getDimSize(0) != 5 || params.getDimSize(1) != filter.getDimSize(0))))
    return emitOpError("expects i32 params of shape [5, filters]");
  if (getResidual() && cast<ShapedType>(getResidual().getType()).getShape() != init.getShape())
    return emitOpError("expects the residual to have the init's shape");
  if (getRounding() != "half_to_even" && getRounding() != "half_away_from_zero")
    return emitOpError("unknown rounding '") << getRounding() << "'";
  if (static_cast<int64_t>(getClampMin()) > static_cast<int64_t>(getClampMax()))
    return emitOpError("expects clamp_min <= clamp_max");
  bool tensors = isa<RankedTensorType>(init);
  if (tensors != (getNumResults() == 1) || (tensors && getResult()[0].getType() != init))
    return emitOpError("has one result of the init's type on tensors, none on buffers");
  return success();
}

// The kernel ops read every operand but the init, which they only write.
static void
kernelEffects(Operation *op,
              SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>> &effects) {
  auto dps = cast<DestinationStyleOpInterface>(op);
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<MemRefType>(operand.get().getType()))
      continue;
    if (dps.isDpsInit(&operand))
      effects.emplace_back(MemoryEffects::Write::get(), &operand,
                           SideEffects::DefaultResource::get());
    else
      effects.emplace_back(MemoryEffects::Read::get(), &operand,
                           SideEffects::DefaultResource::get());
  }
}

void QConv2DOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>> &effects) {
  kernelEffects(getOperation(), effects);
}

void Conv2DOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>> &effects) {
  kernelEffects(getOperation(), effects);
}

LogicalResult ProbeOp::verify() {
  auto input = cast<ShapedType>(getInput().getType());
  auto init = cast<ShapedType>(getInit().getType());
  if (!input.getElementType().isF32() || input.getShape() != init.getShape() ||
      input.getElementType() != init.getElementType())
    return emitOpError("expects f32 input and init of one shape");
  bool tensors = isa<RankedTensorType>(init);
  if (tensors != (getNumResults() == 1) || (tensors && getResult()[0].getType() != init))
    return emitOpError("has one result of the init's type on tensors, none on buffers");
  return success();
}

void ProbeOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>> &effects) {
  kernelEffects(getOperation(), effects);
  // The call into the host, which keeps statistics: never removed or
  // reordered with another probe.
  effects.emplace_back(MemoryEffects::Write::get(), SideEffects::DefaultResource::get());
}

void ObserveOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>> &effects) {
  if (isa<MemRefType>(getInput().getType()))
    effects.emplace_back(MemoryEffects::Read::get(), &getInputMutable(),
                         SideEffects::DefaultResource::get());
  // The call into the host: keeps the op and its order.
  effects.emplace_back(MemoryEffects::Write::get(), SideEffects::DefaultResource::get());
}

namespace {

// qck.observe reads its tensor's buffer and writes nothing of it.
struct ObserveBufferizableModel
    : bufferization::BufferizableOpInterface::ExternalModel<ObserveBufferizableModel, ObserveOp> {
  bool bufferizesToMemoryRead(Operation *, OpOperand &,
                              const bufferization::AnalysisState &) const {
    return true;
  }
  bool bufferizesToMemoryWrite(Operation *, OpOperand &,
                               const bufferization::AnalysisState &) const {
    return false;
  }
  bufferization::AliasingValueList getAliasingValues(Operation *, OpOperand &,
                                                     const bufferization::AnalysisState &) const {
    return {};
  }
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const bufferization::BufferizationOptions &options,
                          bufferization::BufferizationState &state) const {
    auto observe = cast<ObserveOp>(op);
    auto buffer = bufferization::getBuffer(rewriter, observe.getInput(), options, state);
    if (failed(buffer))
      return failure();
    rewriter.setInsertionPoint(op);
    ObserveOp::create(rewriter, op->getLoc(), *buffer, observe.getIdAttr());
    rewriter.eraseOp(op);
    return success();
  }
};

// A qck op on tensors becomes the same op on the operands' buffers.
template <typename OpTy>
struct QCKBufferizableModel
    : bufferization::DstBufferizableOpInterfaceExternalModel<QCKBufferizableModel<OpTy>, OpTy> {
  // The kernels overwrite their init without reading it.
  bool bufferizesToMemoryRead(Operation *op, OpOperand &operand,
                              const bufferization::AnalysisState &) const {
    return !cast<DestinationStyleOpInterface>(op).isDpsInit(&operand);
  }

  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const bufferization::BufferizationOptions &options,
                          bufferization::BufferizationState &state) const {
    SmallVector<Value> buffers;
    for (Value operand : op->getOperands()) {
      auto buffer = bufferization::getBuffer(rewriter, operand, options, state);
      if (failed(buffer))
        return failure();
      buffers.push_back(*buffer);
    }
    rewriter.setInsertionPoint(op);
    OperationState bufferState(op->getLoc(), op->getName(), buffers, TypeRange{}, op->getAttrs());
    Operation *bufferOp = rewriter.create(bufferState);
    auto dps = cast<DestinationStyleOpInterface>(bufferOp);
    SmallVector<Value> results;
    for (OpOperand &init : dps.getDpsInitsMutable())
      results.push_back(init.get());
    bufferization::replaceOpWithBufferizedValues(rewriter, op, results);
    return success();
  }
};

} // namespace

void qck::registerBufferizableOpInterfaceExternalModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, QCKDialect *) {
    Conv2DOp::attachInterface<QCKBufferizableModel<Conv2DOp>>(*ctx);
    QConv2DOp::attachInterface<QCKBufferizableModel<QConv2DOp>>(*ctx);
    ProbeOp::attachInterface<QCKBufferizableModel<ProbeOp>>(*ctx);
    ObserveOp::attachInterface<ObserveBufferizableModel>(*ctx);
  });
}
