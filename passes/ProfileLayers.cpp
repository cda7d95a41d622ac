//===- ProfileLayers.cpp - time each layer of a compiled model ------------===//
//
// For `quantc compile --profile`: on buffers, after the microkernel calls
// are in place, every layer of the entry function (a microkernel call, a
// linalg op or a buffer copy at its top level) is bracketed by
//
//   %start = func.call @qc_uk_profile_now() : () -> i64
//   ... the layer ...
//   func.call @qc_uk_profile_add(<address of its row>, %start)
//
// and the table the rows live in is laid out as lib/Runtime/ProfileTable.h
// says: qc_profile_count, qc_profile_layers (kind, multiply-adds, total
// nanoseconds, calls) and qc_profile_names, public globals that the C ABI
// renames with the model's prefix.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "Runtime/ProfileTable.h"

#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringSwitch.h"

namespace qc {
#define GEN_PASS_DEF_PROFILELAYERS
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

// The ONNX node names a layer's location carries ("+"-joined when ops
// were fused), or its op name.
std::string layerName(Operation *op) {
  SmallVector<std::string> names;
  op->getLoc()->walk([&](Location loc) {
    if (auto name = dyn_cast<NameLoc>(loc))
      if (!llvm::is_contained(names, name.getName().str()))
        names.push_back(name.getName().str());
    return WalkResult::advance();
  });
  if (names.empty())
    return op->getName().getStringRef().str();
  std::string joined = names.front();
  for (size_t i = 1; i < names.size() && i < 4; ++i)
    joined += "+" + names[i];
  if (names.size() > 4)
    joined += "+...";
  return joined;
}

// The layer an op is, if it is one.
std::optional<LayerKind> layerKind(Operation *op) {
  if (auto call = dyn_cast<func::CallOp>(op)) {
    StringRef callee = call.getCallee();
    if (!callee.starts_with("qc_uk_") || callee.starts_with("qc_uk_profile"))
      return std::nullopt;
    return llvm::StringSwitch<LayerKind>(callee)
        .Case("qc_uk_conv2d_i8", LayerKind::ConvInt8)
        .Case("qc_uk_conv2d_f32", LayerKind::ConvFloat)
        .Case("qc_uk_matmul_i8", LayerKind::MatmulInt8)
        .StartsWith("qc_uk_", LayerKind::MatmulFloat);
  }
  if (isa<linalg::LinalgOp>(op))
    return LayerKind::Loops;
  if (isa<memref::CopyOp>(op))
    return LayerKind::Copy;
  return std::nullopt;
}

func::FuncOp declare(ModuleOp module, SymbolTable &symbols, StringRef name, FunctionType type) {
  if (auto existing = symbols.lookup<func::FuncOp>(name))
    return existing;
  OpBuilder b(module.getBodyRegion());
  auto callee = func::FuncOp::create(b, module.getLoc(), name, type);
  callee.setPrivate();
  return callee;
}

memref::GlobalOp publicGlobal(OpBuilder &b, Location loc, StringRef name, MemRefType type,
                              DenseElementsAttr value, bool constant) {
  return memref::GlobalOp::create(b, loc, name, b.getStringAttr("public"), type, value, constant,
                                  /*alignment=*/b.getI64IntegerAttr(8));
}

struct ProfileLayersPass : impl::ProfileLayersBase<ProfileLayersPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main || main.isExternal() || module.lookupSymbol("qc_profile_layers"))
      return;
    SmallVector<std::pair<Operation *, LayerKind>> layers;
    for (Operation &op : main.getBody().getOps())
      if (std::optional<LayerKind> kind = layerKind(&op))
        layers.push_back({&op, *kind});

    MLIRContext *ctx = module.getContext();
    OpBuilder b(ctx);
    b.setInsertionPointToStart(module.getBody());
    Location loc = module.getLoc();
    Type i64 = b.getI64Type(), index = b.getIndexType();
    int64_t count = static_cast<int64_t>(layers.size());

    SmallVector<int64_t> rows;
    std::string names;
    for (auto [op, kind] : layers) {
      auto macs = op->getAttrOfType<IntegerAttr>("qc.macs");
      rows.append({static_cast<int64_t>(kind), macs ? macs.getInt() : 0, 0, 0});
      names += layerName(op);
      names.push_back('\0');
    }
    auto countType = MemRefType::get({1}, i64);
    publicGlobal(b, loc, "qc_profile_count", countType,
                 DenseElementsAttr::get(RankedTensorType::get({1}, i64), count), true);
    auto rowsType = MemRefType::get({std::max<int64_t>(count, 1), kProfileColumns}, i64);
    if (rows.empty())
      rows.assign(kProfileColumns, 0);
    auto layersGlobal =
        publicGlobal(b, loc, "qc_profile_layers", rowsType,
                     DenseElementsAttr::get(RankedTensorType::get(rowsType.getShape(), i64),
                                            ArrayRef<int64_t>(rows)),
                     false);
    SmallVector<int8_t> nameBytes(names.begin(), names.end());
    nameBytes.push_back(0);
    auto namesType = MemRefType::get({static_cast<int64_t>(nameBytes.size())}, b.getI8Type());
    publicGlobal(b, loc, "qc_profile_names", namesType,
                 DenseElementsAttr::get(RankedTensorType::get(namesType.getShape(), b.getI8Type()),
                                        ArrayRef<int8_t>(nameBytes)),
                 true);

    SymbolTable symbols(module);
    func::FuncOp now = declare(module, symbols, "qc_uk_profile_now", b.getFunctionType({}, {i64}));
    func::FuncOp add =
        declare(module, symbols, "qc_uk_profile_add", b.getFunctionType({index, i64}, {}));

    // The table's address, once at the top of the entry.
    b.setInsertionPointToStart(&main.getBody().front());
    Value table = memref::GetGlobalOp::create(b, loc, rowsType, layersGlobal.getSymName());
    Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, table);
    for (auto [i, layer] : llvm::enumerate(layers)) {
      Operation *op = layer.first;
      b.setInsertionPoint(op);
      Value start = func::CallOp::create(b, op->getLoc(), now).getResult(0);
      b.setInsertionPointAfter(op);
      Value offset = arith::ConstantIndexOp::create(b, op->getLoc(),
                                                    static_cast<int64_t>(i) * kProfileColumns * 8);
      Value row = arith::AddIOp::create(b, op->getLoc(), base, offset);
      func::CallOp::create(b, op->getLoc(), add, ValueRange{row, start});
    }
  }
};

} // namespace
} // namespace qc
