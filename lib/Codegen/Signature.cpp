//===- Signature.cpp - a model's inputs and outputs -----------------------===//
#include "Codegen/Signature.h"

#include "Runtime/Npy.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

namespace qc {

int64_t TensorSpec::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

size_t TensorSpec::elementSize() const { return npy::elementSize(dtype); }

static std::string dtypeOf(Type t) {
  if (t.isF32()) return "<f4";
  if (t.isF64()) return "<f8";
  if (t.isF16()) return "<f2";
  // Types NumPy lacks: ml_dtypes names, raw bits in .npy files (Npy.h).
  if (t.isBF16()) return "bfloat16";
  if (isa<Float8E4M3FNType>(t)) return "float8_e4m3fn";
  if (isa<Float8E4M3FNUZType>(t)) return "float8_e4m3fnuz";
  if (isa<Float8E5M2Type>(t)) return "float8_e5m2";
  if (isa<Float8E5M2FNUZType>(t)) return "float8_e5m2fnuz";
  if (isa<Float4E2M1FNType>(t)) return "float4_e2m1fn";
  if (t.isInteger(4)) return cast<IntegerType>(t).isUnsigned() ? "uint4" : "int4";
  if (t.isInteger(2)) return cast<IntegerType>(t).isUnsigned() ? "uint2" : "int2";
  auto i = dyn_cast<IntegerType>(t);
  if (!i)
    return "";
  char kind = i.isUnsigned() ? 'u' : 'i';
  switch (i.getWidth()) {
  case 1: return "|b1";
  case 8: return std::string("|") + kind + "1";
  case 16: case 32: case 64:
    return std::string("<") + kind + std::to_string(i.getWidth() / 8);
  default: return "";
  }
}

static std::string typeToString(Type t) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << t;
  return text;
}

static llvm::Expected<TensorSpec> specOf(Type type, StringAttr name, unsigned index,
                                         StringRef role) {
  std::string label = name ? name.str() : (role + " #" + std::to_string(index)).str();
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return llvm::createStringError("%s '%s' has type %s; compiling needs static shapes "
                                   "(dynamic and unranked are not supported yet)",
                                   role.str().c_str(), label.c_str(),
                                   typeToString(type).c_str());
  TensorSpec spec;
  spec.name = label;
  spec.dtype = dtypeOf(tensor.getElementType());
  if (spec.dtype.empty())
    return llvm::createStringError("%s '%s' has element type %s, which has no NumPy "
                                   "equivalent for I/O",
                                   role.str().c_str(), label.c_str(),
                                   typeToString(tensor.getElementType()).c_str());
  spec.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  return spec;
}

llvm::Expected<Signature> readSignature(ModuleOp module) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main)
    return llvm::createStringError("the module has no func.func @main");
  Signature sig;
  FunctionType type = main.getFunctionType();
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    auto spec = specOf(type.getInput(i), main.getArgAttrOfType<StringAttr>(i, "qc.name"), i,
                       "input");
    if (!spec)
      return spec.takeError();
    sig.inputs.push_back(std::move(*spec));
  }
  for (unsigned i = 0; i < type.getNumResults(); ++i) {
    auto spec = specOf(type.getResult(i),
                       main.getResultAttrOfType<StringAttr>(i, "qc.name"), i, "output");
    if (!spec)
      return spec.takeError();
    sig.outputs.push_back(std::move(*spec));
  }
  return sig;
}

} // namespace qc
