//===- FlattenGlobals.cpp - constants as one-dimensional globals ----------===//
//
// Every memref.global of rank 2 or more becomes a 1-D global of the same
// elements, and each memref.get_global of it a get_global of the flat one
// expanded back to the old shape (a view: no copy). The LLVM translation
// builds one constant array per innermost row of a nested array type: a
// model's weights became millions of tiny constants, which translation
// and -O3 then spent most of a compile on.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace qc {
#define GEN_PASS_DEF_FLATTENGLOBALS
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

// The same elements under a 1-D type; null if they cannot be reread.
Attribute flatValue(Attribute value, ShapedType flat) {
  auto tensorType = RankedTensorType::get(flat.getShape(), flat.getElementType());
  if (auto dense = dyn_cast<DenseElementsAttr>(value))
    return dense.reshape(tensorType);
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
    return DenseResourceElementsAttr::get(tensorType, resource.getRawHandle());
  return nullptr;
}

struct FlattenGlobalsPass : impl::FlattenGlobalsBase<FlattenGlobalsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    llvm::StringMap<MemRefType> flattened; // name -> the old type
    for (auto global : module.getOps<memref::GlobalOp>()) {
      MemRefType type = global.getType();
      if (type.getRank() < 2 || !type.hasStaticShape() || !type.getLayout().isIdentity())
        continue;
      auto flat = MemRefType::get({type.getNumElements()}, type.getElementType(), nullptr,
                                  type.getMemorySpace());
      Attribute value;
      if (std::optional<Attribute> initial = global.getInitialValue()) {
        if (!(value = flatValue(*initial, flat)))
          continue;
      }
      global.setType(flat);
      if (value)
        global.setInitialValueAttr(value);
      flattened[global.getSymName()] = type;
    }
    if (flattened.empty())
      return;
    SmallVector<memref::GetGlobalOp> gets;
    module.walk([&](memref::GetGlobalOp get) {
      if (flattened.count(get.getName()))
        gets.push_back(get);
    });
    for (memref::GetGlobalOp get : gets) {
      MemRefType type = flattened.lookup(get.getName());
      OpBuilder b(get);
      auto flat = MemRefType::get({type.getNumElements()}, type.getElementType(), nullptr,
                                  type.getMemorySpace());
      Value whole = memref::GetGlobalOp::create(b, get.getLoc(), flat, get.getName());
      SmallVector<ReassociationIndices> all = {
          llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()))};
      Value view = memref::ExpandShapeOp::create(b, get.getLoc(), type, whole, all);
      get.getResult().replaceAllUsesWith(view);
      get.erase();
    }
  }
};

} // namespace
} // namespace qc
