//===- LinalgToMicrokernels.cpp - contractions as microkernel calls -------===//
//
// The kernels' C interface is lib/Kernels/Microkernels.h: every argument an
// `index` (sizes, strides in elements, addresses of first elements).
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringSwitch.h"

namespace qc {
#define GEN_PASS_DEF_LINALGTOMICROKERNELS
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

// Declarations and globals go at the start of the module.
void insertAtModuleStart(SymbolTable &symbols, Operation *symbol) {
  symbols.insert(symbol, symbols.getOp()->getRegion(0).front().begin());
}

// A buffer's strides, kDynamic where unknown; nothing for a dynamic shape.
std::optional<SmallVector<int64_t>> bufferStrides(Value buffer) {
  auto type = dyn_cast<MemRefType>(buffer.getType());
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return std::nullopt;
  return strides;
}

bool allF32(Operation *op) {
  return llvm::all_of(op->getOperandTypes(), [](Type t) {
    auto type = dyn_cast<MemRefType>(t);
    return type && type.getElementType().isF32();
  });
}

class KernelCallBuilder {
public:
  KernelCallBuilder(SymbolTable &symbols, Operation *op)
      : symbols(symbols), b(op), loc(op->getLoc()) {}

  void size(int64_t value) { args.push_back(arith::ConstantIndexOp::create(b, loc, value)); }
  void f32(float value) {
    args.push_back(arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value)));
  }
  void sizes(ArrayRef<int64_t> values) {
    for (int64_t v : values)
      size(v);
  }
  // The address of the buffer's first element, then the strides of `dims`.
  void buffer(Value buffer, ArrayRef<unsigned> dims) {
    auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, buffer);
    Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
    auto type = cast<MemRefType>(buffer.getType());
    Value bytes = arith::ConstantIndexOp::create(b, loc, type.getElementTypeBitWidth() / 8);
    Value offset = arith::MulIOp::create(b, loc, metadata.getOffset(), bytes);
    args.push_back(arith::AddIOp::create(b, loc, base, offset));
    for (unsigned d : dims)
      args.push_back(metadata.getStrides()[d]);
  }

  // `macs`: the multiply-adds of the call, for profiles (qc.macs).
  void call(StringRef name, int64_t macs = 0) {
    auto type = b.getFunctionType(ValueRange(args).getTypes(), {});
    auto callee = symbols.lookup<func::FuncOp>(name);
    if (!callee) {
      callee = func::FuncOp::create(loc, name, type);
      callee.setPrivate();
      insertAtModuleStart(symbols, callee);
    }
    auto op = func::CallOp::create(b, loc, callee, args);
    if (macs > 0)
      op->setAttr("qc.macs", b.getI64IntegerAttr(macs));
  }

private:
  SymbolTable &symbols;
  OpBuilder b;
  Location loc;
  SmallVector<Value> args;
};

// linalg.matmul (rank 2) or batch_matmul (rank 3) with the default maps:
// sizes ([batch,] m, n, k), then A, B and C with all their strides.
template <typename MatmulOp> bool lowerMatmul(SymbolTable &symbols, MatmulOp op, StringRef kernel) {
  if (!MatmulOp::isDefaultIndexingMaps(op.getIndexingMaps()))
    return false;
  Value a = op.getDpsInputs()[0], b = op.getDpsInputs()[1], c = op.getDpsInits()[0];
  if (!bufferStrides(a) || !bufferStrides(b) || !bufferStrides(c))
    return false;
  auto aShape = cast<MemRefType>(a.getType()).getShape();
  SmallVector<int64_t> sizes(cast<MemRefType>(c.getType()).getShape());
  sizes.push_back(aShape.back());
  auto dims = llvm::to_vector(llvm::seq<unsigned>(0, aShape.size()));
  KernelCallBuilder call(symbols, op);
  call.sizes(sizes);
  call.buffer(a, dims);
  call.buffer(b, dims);
  call.buffer(c, dims);
  int64_t macs = 1;
  for (int64_t size : sizes)
    macs *= size;
  call.call(kernel, macs);
  return true;
}

bool isConstantGlobal(SymbolTable &symbols, Value buffer) {
  auto get = buffer.getDefiningOp<memref::GetGlobalOp>();
  if (!get)
    return false;
  auto global = symbols.lookup<memref::GlobalOp>(get.getName());
  return global && global.getConstant();
}

// A zero-initialized, pointer-sized global for one call site (the symbol
// table makes each name unique).
Value packedWeightsSlot(SymbolTable &symbols, Operation *op) {
  OpBuilder detached(op->getContext());
  auto type = MemRefType::get({1}, detached.getI64Type());
  auto global = memref::GlobalOp::create(
      detached, op->getLoc(), "__qc_packed_weights", detached.getStringAttr("private"), type,
      DenseElementsAttr::get(RankedTensorType::get({1}, detached.getI64Type()), int64_t(0)),
      /*constant=*/false, /*alignment=*/detached.getI64IntegerAttr(8));
  insertAtModuleStart(symbols, global);
  OpBuilder b(op);
  return memref::GetGlobalOp::create(b, op->getLoc(), type, global.getSymName());
}

int64_t activationCode(StringRef activation) {
  return llvm::StringSwitch<int64_t>(activation).Case("relu", 1).Case("clip", 2).Default(0);
}

// Whether a convolution's buffers have the dense runs its kernel reads:
// input rows, filter rows (c, kh, kw), output and residual planes (oh, ow).
template <typename ConvOp> bool denseConvBuffers(ConvOp op) {
  auto inStrides = bufferStrides(op.getInput()), filterStrides = bufferStrides(op.getFilter()),
       outStrides = bufferStrides(op.getInit());
  if (!inStrides || !filterStrides || !outStrides)
    return false;
  auto filterShape = cast<MemRefType>(op.getFilter().getType()).getShape();
  int64_t outW = cast<MemRefType>(op.getInit().getType()).getShape()[3];
  auto densePlanes = [&](ArrayRef<int64_t> strides) {
    return strides[3] == 1 && strides[2] == outW;
  };
  if ((*inStrides)[3] != 1 || (*filterStrides)[3] != 1 || (*filterStrides)[2] != filterShape[3] ||
      (*filterStrides)[1] != filterShape[2] * filterShape[3] || !densePlanes(*outStrides))
    return false;
  if (Value residual = op.getResidual()) {
    auto residualStrides = bufferStrides(residual);
    return residualStrides && densePlanes(*residualStrides);
  }
  return true;
}

// The arguments both convolution kernels start with: the geometry (batch,
// channels, height, width, filters, kernel, output size, strides,
// dilations, top and left pads), the input and the filter.
template <typename ConvOp> void addConvGeometry(ConvOp op, KernelCallBuilder &call) {
  auto inShape = cast<MemRefType>(op.getInput().getType()).getShape();
  auto filterShape = cast<MemRefType>(op.getFilter().getType()).getShape();
  auto outShape = cast<MemRefType>(op.getInit().getType()).getShape();
  ArrayRef<int64_t> pads = op.getPads(), strides = op.getStrides(), dilations = op.getDilations();
  call.sizes({outShape[0], inShape[1], inShape[2], inShape[3], filterShape[0], filterShape[2],
              filterShape[3], outShape[2], outShape[3], strides[0], strides[1], dilations[0],
              dilations[1], pads[0], pads[1]});
  call.buffer(op.getInput(), {0, 1, 2});
  call.buffer(op.getFilter(), {0});
}

// The residual (three zeros for none) and the output, then the group.
template <typename ConvOp> void addConvOutput(ConvOp op, KernelCallBuilder &call) {
  if (Value residual = op.getResidual())
    call.buffer(residual, {0, 1});
  else
    call.sizes({0, 0, 0});
  call.buffer(op.getInit(), {0, 1});
  call.size(op.getGroup());
}

template <typename ConvOp> int64_t convMacs(ConvOp op) {
  auto filterShape = cast<MemRefType>(op.getFilter().getType()).getShape();
  auto outShape = cast<MemRefType>(op.getInit().getType()).getShape();
  return outShape[0] * outShape[1] * outShape[2] * outShape[3] * filterShape[1] * filterShape[2] *
         filterShape[3];
}

// The filter's packing slot when it is a constant (kept packed by the
// kernel after the first call), else 0.
void addPackingSlot(SymbolTable &symbols, Operation *op, Value filter, KernelCallBuilder &call) {
  if (isConstantGlobal(symbols, filter))
    call.buffer(packedWeightsSlot(symbols, op), {});
  else
    call.size(0);
}

bool lowerConv2D(SymbolTable &symbols, qck::Conv2DOp op) {
  auto scaleStrides = bufferStrides(op.getScale()), shiftStrides = bufferStrides(op.getShift());
  if (!denseConvBuffers(op) || !scaleStrides || !shiftStrides || (*scaleStrides)[0] != 1 ||
      (*shiftStrides)[0] != 1)
    return false;
  KernelCallBuilder call(symbols, op);
  addConvGeometry(op, call);
  call.buffer(op.getScale(), {});
  call.buffer(op.getShift(), {});
  addConvOutput(op, call);
  call.size(activationCode(op.getActivation()));
  call.f32(op.getClipMin().convertToFloat());
  call.f32(op.getClipMax().convertToFloat());
  addPackingSlot(symbols, op, op.getFilter(), call);
  call.call("qc_uk_conv2d_f32", convMacs(op));
  return true;
}

bool isUnsignedBuffer(Value buffer) {
  return cast<MemRefType>(buffer.getType()).getElementType().isUnsignedInteger();
}

bool lowerQConv2D(SymbolTable &symbols, qck::QConv2DOp op) {
  Value residual = op.getResidual();
  auto paramStrides = bufferStrides(op.getParams());
  int64_t filters = cast<MemRefType>(op.getFilter().getType()).getDimSize(0);
  if (!denseConvBuffers(op) || !paramStrides || (*paramStrides)[1] != 1 ||
      (*paramStrides)[0] != filters)
    return false;
  // Flags of qc_uk_conv2d_i8: the operands' signedness and the rounding.
  int64_t flags =
      (isUnsignedBuffer(op.getInput()) ? 1 : 0) | (isUnsignedBuffer(op.getFilter()) ? 2 : 0) |
      (residual && isUnsignedBuffer(residual) ? 4 : 0) |
      (op.getRounding() == "half_to_even" ? 8 : 0) |
      (cast<MemRefType>(op.getInit().getType()).getElementType().isInteger(32) ? 16 : 0);
  KernelCallBuilder call(symbols, op);
  addConvGeometry(op, call);
  call.buffer(op.getParams(), {});
  addConvOutput(op, call);
  call.size(flags);
  // I64Attr getters return the bits as uint64_t.
  for (uint64_t value : {op.getInputZeroPoint(), op.getResidualZeroPoint(), op.getOutputZeroPoint(),
                         op.getClampMin(), op.getClampMax(), op.getInputMin(), op.getInputMax()})
    call.size(static_cast<int64_t>(value));
  addPackingSlot(symbols, op, op.getFilter(), call);
  call.call("qc_uk_conv2d_i8", convMacs(op));
  return true;
}

// The block argument an integer operand extends, through the cast that
// reinterprets uint8 storage as signless; its signedness in `isUnsigned`.
std::optional<unsigned> extendedArgument(Value v, Block &body, bool &isUnsigned) {
  Operation *ext = v.getDefiningOp();
  if (!isa_and_nonnull<arith::ExtSIOp, arith::ExtUIOp>(ext))
    return std::nullopt;
  isUnsigned = isa<arith::ExtUIOp>(ext);
  Value source = ext->getOperand(0);
  if (auto cast = source.getDefiningOp<UnrealizedConversionCastOp>();
      cast && cast->getNumOperands() == 1)
    source = cast->getOperand(0);
  auto arg = dyn_cast<BlockArgument>(source);
  if (!arg || arg.getOwner() != &body || !arg.getType().isInteger(8))
    return std::nullopt;
  return arg.getArgNumber();
}

// The strides of a matmul operand's (batch, row, column) dims, from its
// map's results: [batch exprs..., row, col] where a batch expr is the batch
// loop or a broadcast constant 0 (stride 0), and leading batch dims of size 1.
std::optional<std::array<int64_t, 3>> matmulOperandStrides(Value buffer, AffineMap map,
                                                           unsigned batchLoop, bool hasBatch,
                                                           unsigned rowLoop, unsigned colLoop) {
  auto strides = bufferStrides(buffer);
  auto shape = cast<MemRefType>(buffer.getType()).getShape();
  unsigned rank = map.getNumResults();
  if (!strides || rank < 2 || llvm::is_contained(*strides, ShapedType::kDynamic) ||
      map.getResult(rank - 2) != getAffineDimExpr(rowLoop, map.getContext()) ||
      map.getResult(rank - 1) != getAffineDimExpr(colLoop, map.getContext()))
    return std::nullopt;
  std::array<int64_t, 3> result = {0, (*strides)[rank - 2], (*strides)[rank - 1]};
  for (unsigned i = 0; i + 2 < rank; ++i) {
    AffineExpr e = map.getResult(i);
    if (hasBatch && i + 3 == rank && e == getAffineDimExpr(batchLoop, map.getContext())) {
      result[0] = (*strides)[i];
      continue;
    }
    // Any other leading dim must be a size-1 dim read at 0.
    auto constant = dyn_cast<AffineConstantExpr>(e);
    bool unitLoop = isa<AffineDimExpr>(e) && shape[i] == 1;
    if (!(constant && constant.getValue() == 0) && !unitLoop)
      return std::nullopt;
  }
  return result;
}

// An integer matmul as qc.matmul_integer lowers it: a generic over
// ([batches...,] m, n, k) that adds ext(a[.., m, k]) * ext(b[.., k, n]) of
// 8-bit values to an i32 c[.., m, n]. Leading batch loops of size 1 fold
// away; one batch loop may remain.
bool lowerIntegerMatmul(SymbolTable &symbols, linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1)
    return false;
  unsigned loops = op.getNumLoops();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (loops < 3 || iterators.back() != utils::IteratorType::reduction ||
      llvm::count(iterators, utils::IteratorType::reduction) != 1)
    return false;
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield->getOperand(0).getDefiningOp<arith::AddIOp>();
  if (!add || !add.getType().isInteger(32))
    return false;
  Value out = body.getArgument(2);
  Value product = add.getLhs() == out ? add.getRhs() : add.getLhs();
  auto mul = product.getDefiningOp<arith::MulIOp>();
  if ((add.getLhs() != out && add.getRhs() != out) || !mul)
    return false;
  bool unsigned0 = false, unsigned1 = false;
  auto arg0 = extendedArgument(mul.getLhs(), body, unsigned0);
  auto arg1 = extendedArgument(mul.getRhs(), body, unsigned1);
  if (!arg0 || !arg1 || *arg0 == *arg1)
    return false;
  bool aUnsigned = *arg0 == 0 ? unsigned0 : unsigned1;
  bool bUnsigned = *arg0 == 0 ? unsigned1 : unsigned0;

  Value a = op.getDpsInputs()[0], b = op.getDpsInputs()[1], c = op.getDpsInits()[0];
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  unsigned m = loops - 3, n = loops - 2, k = loops - 1;
  // Batch loops before m: all of size 1 but the last.
  bool hasBatch = loops > 3 && ranges[loops - 4] != 1;
  for (unsigned i = 0; i + 4 < loops; ++i)
    if (ranges[i] != 1)
      return false;
  unsigned batchLoop = loops > 3 ? loops - 4 : 0;
  auto aStrides = matmulOperandStrides(a, maps[0], batchLoop, hasBatch, m, k);
  auto bStrides = matmulOperandStrides(b, maps[1], batchLoop, hasBatch, k, n);
  auto cStrides = matmulOperandStrides(c, maps[2], batchLoop, hasBatch, m, n);
  if (!aStrides || !bStrides || !cStrides || ShapedType::isDynamicShape(ranges))
    return false;
  int64_t batch = hasBatch ? ranges[batchLoop] : 1;
  KernelCallBuilder call(symbols, op);
  call.sizes({batch, ranges[m], ranges[n], ranges[k]});
  for (auto [buffer, strides] : {std::pair{a, *aStrides}, {b, *bStrides}, {c, *cStrides}}) {
    call.buffer(buffer, {});
    call.sizes(strides);
  }
  call.size((aUnsigned ? 1 : 0) | (bUnsigned ? 2 : 0));
  // A constant B (the weights) is packed once, as the rows of C^T = B^T A^T.
  if ((*bStrides)[0] == 0)
    addPackingSlot(symbols, op, b, call);
  else
    call.size(0);
  call.call("qc_uk_matmul_i8", batch * ranges[m] * ranges[n] * ranges[k]);
  return true;
}

struct LinalgToMicrokernelsPass : impl::LinalgToMicrokernelsBase<LinalgToMicrokernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<DestinationStyleOpInterface> candidates;
    module.walk([&](DestinationStyleOpInterface op) {
      if (op.hasPureBufferSemantics() &&
          (allF32(op) || isa<qck::QConv2DOp, linalg::GenericOp>(*op)))
        candidates.push_back(op);
    });
    for (DestinationStyleOpInterface op : candidates) {
      bool lowered = false;
      if (auto matmul = dyn_cast<linalg::MatmulOp>(*op))
        lowered = lowerMatmul(symbols, matmul, "qc_uk_matmul_f32");
      else if (auto batch = dyn_cast<linalg::BatchMatmulOp>(*op))
        lowered = lowerMatmul(symbols, batch, "qc_uk_batch_matmul_f32");
      else if (auto conv = dyn_cast<qck::Conv2DOp>(*op))
        lowered = lowerConv2D(symbols, conv);
      else if (auto qconv = dyn_cast<qck::QConv2DOp>(*op))
        lowered = lowerQConv2D(symbols, qconv);
      else if (auto generic = dyn_cast<linalg::GenericOp>(*op))
        lowered = lowerIntegerMatmul(symbols, generic);
      if (lowered)
        op->erase();
    }
    // Analysis probes and calibration observers call back into the host.
    SmallVector<qck::ProbeOp> probes;
    module.walk([&](qck::ProbeOp op) {
      if (isa<MemRefType>(op.getInit().getType()))
        probes.push_back(op);
    });
    for (qck::ProbeOp op : probes) {
      auto type = cast<MemRefType>(op.getInit().getType());
      if (!type.hasStaticShape() || !type.getLayout().isIdentity())
        continue;
      Value input = op.getInput();
      // The host reads a dense buffer: a strided view is copied first.
      if (!cast<MemRefType>(input.getType()).getLayout().isIdentity()) {
        OpBuilder b(op);
        memref::CopyOp::create(b, op.getLoc(), input, op.getInit());
        input = op.getInit();
      }
      KernelCallBuilder call(symbols, op);
      call.size(op.getId());
      call.buffer(input, {});
      call.buffer(op.getInit(), {});
      call.sizes({type.getNumElements(), type.getRank() ? type.getDimSize(0) : 1});
      call.call("qc_rt_probe");
      op->erase();
    }
    SmallVector<qck::ObserveOp> observers;
    module.walk([&](qck::ObserveOp op) {
      if (isa<MemRefType>(op.getInput().getType()))
        observers.push_back(op);
    });
    for (qck::ObserveOp op : observers) {
      auto type = cast<MemRefType>(op.getInput().getType());
      if (!type.hasStaticShape() || !type.getElementType().isF32())
        continue;
      Value input = op.getInput();
      // The host reads a dense buffer: a strided view is copied first.
      Value copy;
      if (!type.getLayout().isIdentity()) {
        OpBuilder b(op);
        copy = memref::AllocOp::create(b, op.getLoc(),
                                       MemRefType::get(type.getShape(), type.getElementType()));
        memref::CopyOp::create(b, op.getLoc(), input, copy);
        input = copy;
      }
      KernelCallBuilder call(symbols, op);
      call.size(op.getId());
      call.buffer(input, {});
      call.sizes({type.getNumElements(), type.getRank() ? type.getDimSize(0) : 1});
      call.call("qc_rt_observe");
      if (copy) {
        OpBuilder b(op);
        memref::DeallocOp::create(b, op.getLoc(), copy);
      }
      op->erase();
    }
    // qck ops have no loop form: one left means its buffers did not fit.
    WalkResult result = module.walk([&](Operation *op) {
      if (!isa_and_nonnull<qck::QCKDialect>(op->getDialect()))
        return WalkResult::advance();
      op->emitError("no microkernel takes ")
          << op->getName() << " on these buffers: " << op->getOperandTypes();
      return WalkResult::interrupt();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
} // namespace qc
