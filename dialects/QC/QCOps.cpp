//===- QCOps.cpp - qc operations: folders and generated definitions -------===//
#include "QC/QCOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace qc;

OpFoldResult NoneOp::fold(FoldAdaptor) { return UnitAttr::get(getContext()); }

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

#define GET_OP_CLASSES
#include "QC/QCOps.cpp.inc"

std::string qc::onnxTensorName(Value value) {
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    auto func = dyn_cast<FunctionOpInterface>(arg.getOwner()->getParentOp());
    if (!func)
      return "";
    auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "qc.name");
    return name ? name.str() : "";
  }
  auto result = cast<OpResult>(value);
  auto fused = dyn_cast<FusedLoc>(result.getOwner()->getLoc());
  auto names = fused ? dyn_cast_or_null<ArrayAttr>(fused.getMetadata()) : nullptr;
  if (!names || result.getResultNumber() >= names.size())
    return "";
  auto name = dyn_cast<StringAttr>(names[result.getResultNumber()]);
  return name ? name.str() : "";
}

std::string qc::onnxNodeName(Operation *op) {
  std::string name;
  op->getLoc()->walk([&](Location inner) {
    if (auto named = dyn_cast<NameLoc>(inner); named && name.empty())
      name = named.getName().str();
    return WalkResult::advance();
  });
  return name;
}

DenseElementsAttr qc::constantAsDense(Value value) {
  ElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return {};
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return dense;
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource || !resource.getRawHandle().getBlob())
    return {};
  ArrayRef<char> data = resource.getRawHandle().getBlob()->getData();
  auto type = cast<ShapedType>(resource.getType());
  bool splat = false;
  if (!DenseElementsAttr::isValidRawBuffer(type, data, splat))
    return {};
  return DenseElementsAttr::getFromRawBuffer(type, data);
}
