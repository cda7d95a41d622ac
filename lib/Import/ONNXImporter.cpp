//===- ONNXImporter.cpp - ONNX protobuf to the qc dialect -----------------===//
//
// The importer maps every ONNX node to the qc op of the same name. Attributes
// convert generically (the qc ops declare ONNX's attribute names and kinds),
// absent optional inputs and outputs become `none` values, and operators
// whose older opset forms differ from qc's (attributes that later became
// inputs, Softmax's 2-D coercion) are upgraded here, once. onnxruntime's
// com.microsoft QLinear* ops (its QOperator format) expand to the
// dequantize -> float op -> quantize chain that defines them.
//
// Nothing about a model is trusted: protobuf parsing, dangling value names,
// unknown data types and cycles all end in a diagnostic, never a crash.
// Unsupported nodes are collected and reported together.
//
//===----------------------------------------------------------------------===//
#include "Import/ONNXImporter.h"
#include "Import/FallbackTypes.h"
#include "Import/OnnxOpTable.h"

#include "QC/OnnxTypes.h"
#include "QC/QCOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <deque>

using namespace mlir;

namespace qc {
namespace {

using onnx::AttributeProto;
using onnx::NodeProto;
using onnx::TensorProto;

// A reason an ONNX node or tensor cannot be imported.
struct Unsupported {
  Location loc;
  std::string message;
};

class OnnxImporter {
public:
  OnnxImporter(MLIRContext &ctx, StringRef sourceName, const ImportOptions &options)
      : ctx(ctx), builder(&ctx), sourceName(sourceName.str()), options(options) {}

  OwningOpRef<ModuleOp> import(onnx::ModelProto &model);

private:
  // Model-level checks and setup.
  LogicalResult readOpsets(const onnx::ModelProto &model);
  void runShapeInference(onnx::ModelProto &model);
  LogicalResult applyInputShapes(onnx::ModelProto &model);

  // Types.
  Type convertElementType(int32_t onnxType, Location loc, StringRef what);
  FailureOr<Type> convertTypeProto(const onnx::TypeProto &type, Location loc,
                                   StringRef what, bool report = true);

  // Tensors.
  FailureOr<ElementsAttr> convertTensor(const TensorProto &tensor, Location loc);
  FailureOr<std::string> readExternalData(const TensorProto &tensor, Location loc);

  // Nodes.
  Location nodeLoc(const NodeProto &node, size_t index);
  LogicalResult importNode(const NodeProto &node, Location loc);
  // Records the ONNX names of the node's outputs on the ops that produce
  // them (see qc::onnxTensorName).
  void recordTensorNames(const NodeProto &node, Location loc);
  LogicalResult importNodeImpl(const NodeProto &node, Location loc);
  FailureOr<Attribute> convertAttribute(const AttributeProto &attr, Location loc);
  // The attribute names of the qc op `qcName` (registered).
  llvm::StringSet<> attributeNamesOf(StringRef qcName);
  // Appends `attr` converted to `attrs` if the op (`what`, for errors) has
  // such an attribute (`known`); false, with the problem recorded, if not.
  bool appendKnownAttribute(const AttributeProto &attr, const llvm::StringSet<> &known,
                            const std::string &what, Location loc,
                            SmallVector<NamedAttribute> &attrs);
  Value getNone();
  Value createConstant(ElementsAttr value, Location loc);
  Value createI64Constant(ArrayRef<int64_t> values, Location loc, bool scalar = false);
  Operation *createOp(StringRef name, Location loc, TypeRange results,
                      ValueRange operands, ArrayRef<NamedAttribute> attrs);
  Type resultTypeFor(StringRef valueName, const OnnxOpSpec &spec, ValueRange operands,
                     ArrayRef<NamedAttribute> attrs, unsigned resultIndex);
  LogicalResult importSoftmaxWithCoercion(const NodeProto &node, const OnnxOpSpec &spec,
                                          Location loc, Value input,
                                          ArrayRef<NamedAttribute> attrs);
  FailureOr<SmallVector<Value>> nodeOperands(const NodeProto &node, Location loc);
  bool keptAttributeKinds(Operation *op, ArrayRef<NamedAttribute> attrs,
                          const NodeProto &node, const std::string &what);
  void attachQuantType(Operation *op);
  Value createInferred(StringRef onnxType, ValueRange operands,
                       ArrayRef<NamedAttribute> attrs, Location loc,
                       StringRef valueName = {});
  LogicalResult importQLinearContrib(const NodeProto &node, const QLinearContribSpec &contrib,
                                     Location loc);

  // Diagnostics name the node being imported, since locations alone print
  // as the model file.
  std::string nodePrefix() const {
    if (!currentNode)
      return "";
    return "node '" + currentNodeName + "' (" + currentNode->op_type() + "): ";
  }
  void unsupported(Location loc, const Twine &message) {
    problems.push_back({loc, nodePrefix() + message.str()});
  }
  InFlightDiagnostic nodeError(Location loc) {
    return emitError(loc) << nodePrefix();
  }

  MLIRContext &ctx;
  OpBuilder builder;
  std::string sourceName;
  ImportOptions options;
  std::string modelDir;

  int64_t defaultOpset = 0;
  llvm::StringMap<int64_t> opsets;
  llvm::StringMap<Value> values;
  llvm::StringMap<onnx::TypeProto> valueTypes;
  // Outputs of nodes that could not be imported; their users are skipped so
  // that only root causes are reported.
  llvm::StringSet<> poisoned;
  Value noneValue;
  const NodeProto *currentNode = nullptr;
  std::string currentNodeName;
  Block *body = nullptr;
  std::vector<Unsupported> problems;
};

//===----------------------------------------------------------------------===//
// Model-level
//===----------------------------------------------------------------------===//

// The first default-domain node of `graph` (or its subgraphs) whose op
// definition at `opset` differs from the one at kMinOnnxOpset, as
// "node 'name' (Type)"; empty when none does.
static std::string firstOpChangedSince(const onnx::GraphProto &graph, int64_t opset) {
  for (const onnx::NodeProto &node : graph.node()) {
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      continue;
    const auto *registry = onnx::OpSchemaRegistry::Instance();
    const onnx::OpSchema *old = registry->GetSchema(node.op_type(), static_cast<int>(opset), "");
    const onnx::OpSchema *current = registry->GetSchema(node.op_type(), kMinOnnxOpset, "");
    if (!old || !current || old->SinceVersion() != current->SinceVersion())
      return "node '" + node.name() + "' (" + node.op_type() + ")";
    for (const onnx::AttributeProto &attribute : node.attribute()) {
      std::string inner;
      if (attribute.has_g())
        inner = firstOpChangedSince(attribute.g(), opset);
      for (const onnx::GraphProto &g : attribute.graphs())
        if (inner.empty())
          inner = firstOpChangedSince(g, opset);
      if (!inner.empty())
        return inner;
    }
  }
  return "";
}

LogicalResult OnnxImporter::readOpsets(const onnx::ModelProto &model) {
  Location loc = FileLineColLoc::get(&ctx, sourceName, 0, 0);
  for (const auto &opset : model.opset_import()) {
    std::string domain = opset.domain();
    if (domain == "ai.onnx")
      domain = "";
    opsets[domain] = opset.version();
  }
  auto it = opsets.find("");
  if (it == opsets.end()) {
    // IR version 1/2 models carry no opset_import; they predate opset 11.
    emitError(loc) << "model declares no default-domain opset; quantc supports "
                      "opsets "
                   << kMinOnnxOpset << " to " << kMaxOnnxOpset;
    return failure();
  }
  defaultOpset = it->second;
  if (defaultOpset >= 1 && defaultOpset < kMinOnnxOpset) {
    // An older model whose every op kept its definition up to our lowest
    // opset (QLinearConv, ConvInteger, ... of opset 10) means the same
    // there: read it as that opset.
    std::string changed = firstOpChangedSince(model.graph(), defaultOpset);
    if (changed.empty()) {
      defaultOpset = kMinOnnxOpset;
      return success();
    }
    emitError(loc) << "model uses opset " << defaultOpset
                   << " of the default domain; quantc supports opsets " << kMinOnnxOpset << " to "
                   << kMaxOnnxOpset << ", and " << changed << " changed after opset "
                   << defaultOpset << " (convert older models with onnx.version_converter)";
    return failure();
  }
  if (defaultOpset < kMinOnnxOpset || defaultOpset > kMaxOnnxOpset) {
    InFlightDiagnostic diag = emitError(loc)
                              << "model uses opset " << defaultOpset
                              << " of the default domain; quantc supports opsets "
                              << kMinOnnxOpset << " to " << kMaxOnnxOpset;
    if (defaultOpset < kMinOnnxOpset)
      diag << " (convert older models with onnx.version_converter)";
    return failure();
  }
  return success();
}

LogicalResult OnnxImporter::applyInputShapes(onnx::ModelProto &model) {
  Location loc = FileLineColLoc::get(&ctx, sourceName, 0, 0);
  for (const auto &[name, dims] : options.inputShapes) {
    onnx::ValueInfoProto *input = nullptr;
    for (auto &candidate : *model.mutable_graph()->mutable_input())
      if (candidate.name() == name)
        input = &candidate;
    if (!input || !input->type().has_tensor_type()) {
      emitError(loc) << "--input-shape names '" << name
                     << "', which is not a tensor input of the model";
      return failure();
    }
    auto *shape = input->mutable_type()->mutable_tensor_type()->mutable_shape();
    if (shape->dim_size() != 0 && shape->dim_size() != static_cast<int>(dims.size())) {
      emitError(loc) << "--input-shape gives " << dims.size() << " dims for input '" << name
                     << "', which has rank " << shape->dim_size();
      return failure();
    }
    for (auto [i, d] : llvm::enumerate(dims)) {
      if (d < 0) {
        emitError(loc) << "--input-shape dims must be >= 0 (input '" << name << "')";
        return failure();
      }
      if (static_cast<int>(i) < shape->dim_size()) {
        auto *dim = shape->mutable_dim(i);
        // Exporters write unknown dims as dim_param or as -1.
        if (dim->has_dim_value() && dim->dim_value() >= 0 && dim->dim_value() != d) {
          emitError(loc) << "--input-shape sets dim " << i << " of input '" << name << "' to "
                         << d << ", but the model fixes it to " << dim->dim_value();
          return failure();
        }
        dim->set_dim_value(d);
      } else {
        shape->add_dim()->set_dim_value(d);
      }
    }
  }
  // Intermediate shapes recorded for other input sizes would now conflict.
  if (!options.inputShapes.empty())
    model.mutable_graph()->clear_value_info();
  return success();
}

void OnnxImporter::runShapeInference(onnx::ModelProto &model) {
  // Shape inference of Debian's libonnx knows opsets up to 17; for newer
  // nodes it may fail, and the qc ops' own type rules fill in what it left.
  onnx::ShapeInferenceOptions siOptions(/*check_type=*/false, /*error_mode=*/0,
                                        /*data_prop=*/true);
  try {
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(),
                                       siOptions);
  } catch (const std::exception &e) {
    // Not fatal: types fall back to our own inference.
  }
}

//===----------------------------------------------------------------------===//
// Types and tensors
//===----------------------------------------------------------------------===//

Type OnnxImporter::convertElementType(int32_t onnxType, Location loc, StringRef what) {
  Type t = getElementTypeForOnnx(&ctx, onnxType);
  if (!t)
    unsupported(loc, Twine(what) + " has element type " +
                         getOnnxDataTypeName(onnxType) + " (" + Twine(onnxType) +
                         "), which quantc does not support");
  return t;
}

FailureOr<Type> OnnxImporter::convertTypeProto(const onnx::TypeProto &type,
                                               Location loc, StringRef what,
                                               bool report) {
  if (!type.has_tensor_type()) {
    if (report)
      unsupported(loc, Twine(what) + " is not a tensor (sequences, maps and "
                                     "optionals are not supported)");
    return failure();
  }
  const auto &tensorType = type.tensor_type();
  Type elt = report ? convertElementType(tensorType.elem_type(), loc, what)
                    : getElementTypeForOnnx(&ctx, tensorType.elem_type());
  if (!elt)
    return failure();
  if (!tensorType.has_shape())
    return Type(UnrankedTensorType::get(elt));
  SmallVector<int64_t> shape;
  for (const auto &dim : tensorType.shape().dim()) {
    if (dim.has_dim_value() && dim.dim_value() >= 0)
      shape.push_back(dim.dim_value());
    else
      shape.push_back(ShapedType::kDynamic);
  }
  return Type(RankedTensorType::get(shape, elt));
}

FailureOr<std::string> OnnxImporter::readExternalData(const TensorProto &tensor,
                                                      Location loc) {
  std::string location;
  uint64_t offset = 0;
  int64_t length = -1;
  for (const auto &entry : tensor.external_data()) {
    if (entry.key() == "location")
      location = entry.value();
    else if (entry.key() == "offset")
      offset = std::strtoull(entry.value().c_str(), nullptr, 10);
    else if (entry.key() == "length")
      length = std::strtoll(entry.value().c_str(), nullptr, 10);
  }
  if (location.empty() || llvm::sys::path::is_absolute(location) ||
      StringRef(location).contains("..")) {
    nodeError(loc) << "tensor '" << tensor.name()
                   << "' has an invalid external data location '" << location << "'";
    return failure();
  }
  SmallString<256> path(modelDir);
  llvm::sys::path::append(path, location);
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    nodeError(loc) << "cannot read external data of tensor '" << tensor.name()
                   << "' from '" << path << "': " << buffer.getError().message();
    return failure();
  }
  StringRef data = (*buffer)->getBuffer();
  if (offset > data.size() ||
      (length >= 0 && static_cast<uint64_t>(length) > data.size() - offset)) {
    nodeError(loc) << "external data of tensor '" << tensor.name()
                   << "' lies outside '" << path << "'";
    return failure();
  }
  return data.substr(offset, length >= 0 ? static_cast<size_t>(length) : StringRef::npos)
      .str();
}

// Raw little-endian bytes of `count` elements of `elt` from a TensorProto's
// typed fields (ONNX stores narrow types widened in int32_data).
static FailureOr<std::string> packTypedFields(const TensorProto &tensor, Type elt,
                                              int64_t count) {
  std::string out;
  auto appendLE = [&](uint64_t v, unsigned bytes) {
    for (unsigned i = 0; i < bytes; ++i)
      out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  unsigned width = elt.getIntOrFloatBitWidth();
  unsigned bytes = std::max(1u, width / 8);
  auto take = [&](auto &field) -> LogicalResult {
    if (field.size() != count)
      return failure();
    for (auto v : field)
      appendLE(static_cast<uint64_t>(v), bytes);
    return success();
  };
  LogicalResult ok = failure();
  if (elt.isF32()) {
    if (tensor.float_data_size() != count)
      return failure();
    for (float f : tensor.float_data())
      appendLE(llvm::bit_cast<uint32_t>(f), 4);
    ok = success();
  } else if (elt.isF64()) {
    if (tensor.double_data_size() != count)
      return failure();
    for (double d : tensor.double_data())
      appendLE(llvm::bit_cast<uint64_t>(d), 8);
    ok = success();
  } else if (elt.isInteger(64) && !elt.isUnsignedInteger()) {
    ok = take(tensor.int64_data());
  } else if (elt.isUnsignedInteger(32) || elt.isUnsignedInteger(64)) {
    ok = take(tensor.uint64_data());
  } else if (width == 4 || width == 2) {
    // int4/uint4 (int2/uint2): two (four) values per int32_data entry's low
    // byte, packed.
    int64_t perByte = 8 / width;
    int64_t packed = (count + perByte - 1) / perByte;
    if (tensor.int32_data_size() != packed)
      return failure();
    for (int32_t v : tensor.int32_data())
      out.push_back(static_cast<char>(v & 0xff));
    ok = success();
  } else {
    // bool, (u)int8/16, int32, float16, bfloat16, float8.
    ok = take(tensor.int32_data());
  }
  if (failed(ok))
    return failure();
  return out;
}

FailureOr<ElementsAttr> OnnxImporter::convertTensor(const TensorProto &tensor,
                                                    Location loc) {
  std::string what = "tensor '" + tensor.name() + "'";
  Type elt = convertElementType(tensor.data_type(), loc, what);
  if (!elt)
    return failure();
  SmallVector<int64_t> shape;
  int64_t count = 1;
  for (int64_t d : tensor.dims()) {
    if (d < 0 || (d > 0 && count > (int64_t(1) << 40) / d)) {
      nodeError(loc) << what << " has an invalid shape";
      return failure();
    }
    shape.push_back(d);
    count *= d;
  }
  auto type = RankedTensorType::get(shape, elt);
  if (tensor.has_segment()) {
    unsupported(loc, what + " is segmented");
    return failure();
  }

  std::string raw;
  if (tensor.data_location() == TensorProto::EXTERNAL) {
    auto data = readExternalData(tensor, loc);
    if (failed(data))
      return failure();
    raw = std::move(*data);
  } else if (tensor.has_raw_data()) {
    raw = tensor.raw_data();
  } else {
    auto packed = packTypedFields(tensor, elt, count);
    if (failed(packed)) {
      nodeError(loc) << what << " holds a number of values that does not match its "
                     << "shape " << type;
      return failure();
    }
    raw = std::move(*packed);
  }

  unsigned width = elt.getIntOrFloatBitWidth();
  int64_t expectedBytes = width == 4   ? (count + 1) / 2
                          : width == 2 ? (count + 3) / 4
                                       : count * std::max(1u, width / 8);
  if (static_cast<int64_t>(raw.size()) != expectedBytes) {
    nodeError(loc) << what << " has " << raw.size() << " bytes of data, expected "
                   << expectedBytes << " for " << type;
    return failure();
  }

  bool byteAligned = width % 8 == 0 && width != 1;
  if (byteAligned && count >= options.resourceMinElements) {
    std::string key = tensor.name().empty() ? "tensor" : tensor.name();
    for (char &c : key)
      if (!llvm::isAlnum(c) && c != '_' && c != '.')
        c = '_';
    auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
        ArrayRef<char>(raw.data(), raw.size()), alignof(uint64_t));
    return cast<ElementsAttr>(DenseResourceElementsAttr::get(type, key, std::move(blob)));
  }

  // Small or sub-byte tensors stay inline as DenseElementsAttr.
  SmallVector<APInt> bits;
  bits.reserve(count);
  for (int64_t i = 0; i < count; ++i) {
    uint64_t v = 0;
    if (width == 4) {
      uint8_t byte = static_cast<uint8_t>(raw[i / 2]);
      v = (i % 2 == 0) ? (byte & 0xf) : (byte >> 4);
    } else if (width == 2) {
      uint8_t byte = static_cast<uint8_t>(raw[i / 4]);
      v = (byte >> (2 * (i % 4))) & 0x3;
    } else if (width == 1) {
      v = raw[i] != 0;
    } else {
      unsigned bytes = width / 8;
      for (unsigned b = 0; b < bytes; ++b)
        v |= static_cast<uint64_t>(static_cast<uint8_t>(raw[i * bytes + b])) << (8 * b);
    }
    bits.push_back(APInt(width, v));
  }
  if (auto ft = dyn_cast<FloatType>(elt)) {
    SmallVector<APFloat> floats;
    floats.reserve(count);
    for (const APInt &b : bits)
      floats.emplace_back(ft.getFloatSemantics(), b);
    return cast<ElementsAttr>(DenseElementsAttr::get(type, floats));
  }
  return cast<ElementsAttr>(DenseElementsAttr::get(type, bits));
}

//===----------------------------------------------------------------------===//
// Values and ops
//===----------------------------------------------------------------------===//

Value OnnxImporter::getNone() {
  if (!noneValue) {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(body);
    noneValue = NoneOp::create(builder, UnknownLoc::get(&ctx), builder.getNoneType()).getResult();
  }
  return noneValue;
}

Value OnnxImporter::createConstant(ElementsAttr value, Location loc) {
  return ConstantOp::create(builder, loc, value.getType(), value).getResult();
}

Value OnnxImporter::createI64Constant(ArrayRef<int64_t> values, Location loc,
                                      bool scalar) {
  SmallVector<int64_t> shape;
  if (!scalar)
    shape.push_back(values.size());
  auto type = RankedTensorType::get(shape, builder.getI64Type());
  return createConstant(cast<ElementsAttr>(DenseElementsAttr::get(type, values)), loc);
}

Operation *OnnxImporter::createOp(StringRef name, Location loc, TypeRange results,
                                  ValueRange operands, ArrayRef<NamedAttribute> attrs) {
  OperationState state(loc, name);
  state.addOperands(operands);
  state.addTypes(results);
  state.addAttributes(attrs);
  return builder.create(state);
}

Location OnnxImporter::nodeLoc(const NodeProto &node, size_t index) {
  std::string name = node.name();
  if (name.empty())
    name = node.op_type() + "_" + std::to_string(index);
  return NameLoc::get(StringAttr::get(&ctx, name),
                      FileLineColLoc::get(&ctx, sourceName, 0, 0));
}

llvm::StringSet<> OnnxImporter::attributeNamesOf(StringRef qcName) {
  std::optional<RegisteredOperationName> opName = RegisteredOperationName::lookup(qcName, &ctx);
  assert(opName && "qc op table names an unregistered op");
  llvm::StringSet<> names;
  for (StringAttr name : opName->getAttributeNames())
    names.insert(name.getValue());
  return names;
}

bool OnnxImporter::appendKnownAttribute(const AttributeProto &attr,
                                        const llvm::StringSet<> &known, const std::string &what,
                                        Location loc, SmallVector<NamedAttribute> &attrs) {
  if (!known.contains(attr.name())) {
    unsupported(loc, "attribute '" + attr.name() + "' of op " + what + " is not supported");
    return false;
  }
  auto converted = convertAttribute(attr, loc);
  if (failed(converted))
    return false;
  attrs.emplace_back(builder.getStringAttr(attr.name()), *converted);
  return true;
}

FailureOr<Attribute> OnnxImporter::convertAttribute(const AttributeProto &attr,
                                                    Location loc) {
  switch (attr.type()) {
  case AttributeProto::INT:
    return Attribute(builder.getI64IntegerAttr(attr.i()));
  case AttributeProto::FLOAT:
    return Attribute(builder.getF32FloatAttr(attr.f()));
  case AttributeProto::STRING:
    return Attribute(builder.getStringAttr(attr.s()));
  case AttributeProto::INTS:
    return Attribute(builder.getDenseI64ArrayAttr(
        SmallVector<int64_t>(attr.ints().begin(), attr.ints().end())));
  case AttributeProto::FLOATS:
    return Attribute(builder.getDenseF32ArrayAttr(
        SmallVector<float>(attr.floats().begin(), attr.floats().end())));
  case AttributeProto::TENSOR: {
    auto value = convertTensor(attr.t(), loc);
    if (failed(value))
      return failure();
    return Attribute(*value);
  }
  default:
    unsupported(loc, "attribute '" + attr.name() + "' has kind " +
                         AttributeProto::AttributeType_Name(attr.type()) +
                         ", which quantc does not support");
    return failure();
  }
}

// ONNX's inferred type when it is ranked; otherwise the qc rules for the op
// (keeping ONNX's element type when it gave one).
Type OnnxImporter::resultTypeFor(StringRef valueName, const OnnxOpSpec &spec,
                                 ValueRange operands, ArrayRef<NamedAttribute> attrs,
                                 unsigned resultIndex) {
  Type knownElement;
  auto known = valueTypes.find(valueName);
  if (known != valueTypes.end()) {
    auto t = convertTypeProto(known->second, UnknownLoc::get(&ctx), valueName,
                              /*report=*/false);
    if (succeeded(t))
      knownElement = cast<ShapedType>(*t).getElementType();
    if (succeeded(t) && isa<RankedTensorType>(*t)) {
      // Dims ONNX left dynamic may still follow from our own rules.
      auto onnxType = cast<RankedTensorType>(*t);
      if (onnxType.hasStaticShape())
        return onnxType;
      auto ours = dyn_cast<RankedTensorType>(
          inferFallbackType(ctx, spec, operands, attrs, resultIndex, knownElement));
      if (!ours || ours.getRank() != onnxType.getRank())
        return onnxType;
      SmallVector<int64_t> shape(onnxType.getShape());
      for (auto [dim, ourDim] : llvm::zip(shape, ours.getShape()))
        if (ShapedType::isDynamic(dim))
          dim = ourDim;
      return onnxType.clone(shape);
    }
  }
  return inferFallbackType(ctx, spec, operands, attrs, resultIndex, knownElement);
}

// Attributes that older opsets had and that qc takes as inputs.
static std::optional<StringRef> attrBecameInput(StringRef opType, int64_t version,
                                                unsigned *inputIndex) {
  auto is = [&](std::initializer_list<StringRef> ops) {
    return llvm::is_contained(ops, opType);
  };
  if (is({"Squeeze", "Unsqueeze"}) && version < 13) {
    *inputIndex = 1;
    return StringRef("axes");
  }
  if (opType == "ReduceSum" && version < 13) {
    *inputIndex = 1;
    return StringRef("axes");
  }
  if (is({"ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
          "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"}) &&
      version < 18) {
    *inputIndex = 1;
    return StringRef("axes");
  }
  if (opType == "Split" && version < 13) {
    *inputIndex = 1;
    return StringRef("split");
  }
  return std::nullopt;
}

// Softmax, LogSoftmax and Hardmax before opset 13 flatten the input to 2-D
// at `axis` (default 1). qc uses the opset-13 per-axis form; when the axis
// is the last one the two agree, otherwise reshape around the op.
LogicalResult OnnxImporter::importSoftmaxWithCoercion(const NodeProto &node,
                                                      const OnnxOpSpec &spec,
                                                      Location loc, Value input,
                                                      ArrayRef<NamedAttribute> attrs) {
  int64_t axis = 1;
  for (const NamedAttribute &a : attrs) {
    if (a.getName() != "axis")
      continue;
    auto value = dyn_cast<IntegerAttr>(a.getValue());
    if (!value) {
      unsupported(loc, node.op_type() + " attribute 'axis' must be an INT");
      return failure();
    }
    axis = value.getInt();
  }
  auto inType = dyn_cast<RankedTensorType>(input.getType());
  if (!inType) {
    unsupported(loc, node.op_type() + "-" + std::to_string(spec.resolveVersion(defaultOpset)) +
                         " needs a ranked input to express its 2-D coercion");
    return failure();
  }
  int64_t rank = inType.getRank();
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1)) {
    nodeError(loc) << node.op_type() << " axis " << axis << " is out of range for rank "
                   << rank;
    return failure();
  }
  if (axis < 0)
    axis += rank;
  NamedAttribute lastAxis(builder.getStringAttr("axis"), builder.getI64IntegerAttr(-1));
  if (axis == rank - 1 || rank == 0) {
    Operation *op = createOp(spec.qcName, loc, inType, input, lastAxis);
    values[node.output(0)] = op->getResult(0);
    return success();
  }
  if (!inType.hasStaticShape()) {
    unsupported(loc, node.op_type() + " of opset < 13 with axis " + std::to_string(axis) +
                         " needs a static input shape");
    return failure();
  }
  ArrayRef<int64_t> shape = inType.getShape();
  int64_t rows = 1, cols = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < axis ? rows : cols) *= shape[d];
  auto flatType = RankedTensorType::get({rows, cols}, inType.getElementType());
  Value flat = createOp("qc.reshape", loc, flatType,
                        {input, createI64Constant({rows, cols}, loc)}, {})
                   ->getResult(0);
  Value normalized = createOp(spec.qcName, loc, flatType, flat, lastAxis)->getResult(0);
  values[node.output(0)] =
      createOp("qc.reshape", loc, inType, {normalized, createI64Constant(shape, loc)}, {})
          ->getResult(0);
  return success();
}

// The node's inputs in ONNX order; absent optional inputs are `none`.
FailureOr<SmallVector<Value>> OnnxImporter::nodeOperands(const NodeProto &node,
                                                         Location loc) {
  SmallVector<Value> operands;
  for (const std::string &input : node.input()) {
    if (input.empty()) {
      operands.push_back(getNone());
      continue;
    }
    auto it = values.find(input);
    if (it == values.end()) {
      nodeError(loc) << "node uses value '" << input << "', which nothing defines";
      return failure();
    }
    operands.push_back(it->second);
  }
  return operands;
}

// An attribute of the wrong ONNX kind (FLOAT where INT is due, ...) does not
// survive conversion to the op's properties: reports the first such one of
// `op`, made for `node` (`what` describes its op type and opset).
bool OnnxImporter::keptAttributeKinds(Operation *op, ArrayRef<NamedAttribute> attrs,
                                      const NodeProto &node, const std::string &what) {
  for (const NamedAttribute &attr : attrs) {
    if (op->getInherentAttr(attr.getName()) == attr.getValue())
      continue;
    const AttributeProto *proto = nullptr;
    for (const AttributeProto &a : node.attribute())
      if (a.name() == attr.getName().getValue())
        proto = &a;
    unsupported(op->getLoc(), "attribute '" + attr.getName().str() + "' of op " + what +
                                  " has kind " +
                                  (proto ? AttributeProto::AttributeType_Name(proto->type())
                                         : std::string("unknown")) +
                                  ", which is not the kind ONNX defines for it");
    return false;
  }
  return true;
}

// Records constant scales and zero points as a quant dialect type.
void OnnxImporter::attachQuantType(Operation *op) {
  bool isQuantize = isa<QuantizeLinearOp>(op);
  Value data = op->getOperand(0), scale = op->getOperand(1), zp = op->getOperand(2);
  Type storage = cast<ShapedType>((isQuantize ? op->getResult(0) : data).getType())
                     .getElementType();
  auto storageInt = dyn_cast<IntegerType>(storage);
  if (!storageInt || storageInt.getWidth() > 32)
    return;
  DenseElementsAttr scales = constantAsDense(scale), zps;
  if (!scales)
    return;
  if (!isa<NoneType>(zp.getType()) && !(zps = constantAsDense(zp)))
    return;
  auto scaleType = cast<ShapedType>(scales.getType());
  auto expressed = dyn_cast<FloatType>(scaleType.getElementType());
  if (!expressed)
    return;
  bool isSigned = !storageInt.isUnsigned();
  unsigned width = storageInt.getWidth();
  int64_t storageMin = isSigned ? -(int64_t(1) << (width - 1)) : 0;
  int64_t storageMax = isSigned ? (int64_t(1) << (width - 1)) - 1 : (int64_t(1) << width) - 1;
  Type signlessStorage = IntegerType::get(&ctx, width);
  unsigned flags = isSigned ? quant::QuantizationFlags::Signed : 0;
  SmallVector<double> scaleValues;
  for (APFloat s : scales.getValues<APFloat>()) {
    bool lost;
    s.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
    if (!(s.convertToDouble() > 0) || !std::isfinite(s.convertToDouble()))
      return; // the quant types need positive finite scales
    scaleValues.push_back(s.convertToDouble());
  }
  SmallVector<int64_t> zpValues(scaleValues.size(), 0);
  if (zps) {
    zpValues.clear();
    for (const APInt &z : zps.getValues<APInt>())
      zpValues.push_back(isSigned ? z.getSExtValue() : z.getZExtValue());
    if (zpValues.size() != scaleValues.size())
      return;
  }
  int64_t blockSize = cast<IntegerAttr>(op->getAttr("block_size")).getInt();
  auto dataType = dyn_cast<RankedTensorType>(data.getType());
  Type qtype;
  if (scaleType.getNumElements() == 1 && scaleType.getRank() <= 1 && blockSize == 0) {
    qtype = quant::UniformQuantizedType::getChecked(
        op->getLoc(), flags, signlessStorage, expressed, scaleValues[0], zpValues[0],
        storageMin, storageMax);
  } else if (dataType) {
    int64_t axis = cast<IntegerAttr>(op->getAttr("axis")).getInt();
    if (axis < 0)
      axis += dataType.getRank();
    if (axis < 0 || axis >= dataType.getRank())
      return;
    if (blockSize == 0 && scaleType.getRank() == 1) {
      qtype = quant::UniformQuantizedPerAxisType::getChecked(
          op->getLoc(), flags, signlessStorage, expressed, scaleValues,
          zpValues, axis, storageMin, storageMax);
    } else if (blockSize > 0 && scaleType.getRank() == dataType.getRank()) {
      SmallVector<int32_t> dims;
      SmallVector<int64_t> blockSizes;
      dims.push_back(axis);
      blockSizes.push_back(blockSize);
      SmallVector<APFloat> scaleFloats(scales.getValues<APFloat>());
      SmallVector<APInt> zpInts;
      if (zps)
        zpInts.assign(zps.getValues<APInt>().begin(), zps.getValues<APInt>().end());
      else
        zpInts.assign(scaleValues.size(), APInt(width, 0));
      auto scaleAttr = DenseElementsAttr::get(scaleType, scaleFloats);
      auto zpAttr = DenseElementsAttr::get(
          RankedTensorType::get(scaleType.getShape(), signlessStorage), zpInts);
      qtype = quant::UniformQuantizedSubChannelType::getChecked(
          op->getLoc(), flags, signlessStorage, expressed, scaleAttr, zpAttr, dims,
          blockSizes, storageMin, storageMax);
    }
  }
  if (qtype)
    op->setAttr("qtype", TypeAttr::get(qtype));
}

// The qc op of ONNX operator `onnxType`, with one result typed as a node's
// output: ONNX's inferred type of `valueName` where it has one, else the
// importer's rules. Q/DQ get their `qtype` as when a node is imported.
Value OnnxImporter::createInferred(StringRef onnxType, ValueRange operands,
                                   ArrayRef<NamedAttribute> attrs, Location loc,
                                   StringRef valueName) {
  const OnnxOpSpec *spec = lookupOnnxOp(onnxType);
  assert(spec && "createInferred of an operator the table lacks");
  Type type = valueName.empty() ? inferFallbackType(ctx, *spec, operands, attrs, 0, Type())
                                : resultTypeFor(valueName, *spec, operands, attrs, 0);
  Operation *op = createOp(spec->qcName, loc, type, operands, attrs);
  if (isa<QuantizeLinearOp, DequantizeLinearOp>(op))
    attachQuantType(op);
  return op->getResult(0);
}

// onnxruntime's QOperator ops (com.microsoft QLinearAdd, ...) are defined as
// dequantize -> float op -> quantize with per-tensor 8-bit parameters. They
// are imported as exactly that chain, which Q/DQ folding turns into integer
// kernels as it does for a QDQ model.
LogicalResult OnnxImporter::importQLinearContrib(const NodeProto &node,
                                                 const QLinearContribSpec &contrib,
                                                 Location loc) {
  std::string what = "'" + node.op_type() + "' (domain '" + kMicrosoftDomain.str() +
                     "', opset " + std::to_string(contrib.version) + ")";
  auto nodeInputs = nodeOperands(node, loc);
  if (failed(nodeInputs))
    return failure();
  SmallVector<Value> operands = std::move(*nodeInputs);
  if (node.output_size() != 1 || node.output(0).empty()) {
    nodeError(loc) << "op " << what << " has " << node.output_size()
                   << " outputs; it produces one";
    return failure();
  }

  // Where the (x, scale, zero point) triples and the output's scale and
  // zero point are.
  size_t numTriples, firstTriple, outputAt;
  if (contrib.variadicInputs()) {
    if (operands.size() < 5 || (operands.size() - 2) % 3 != 0) {
      nodeError(loc) << "op " << what << " has " << operands.size()
                     << " inputs; it takes the output's scale and zero point, then "
                        "(x, scale, zero point) triples";
      return failure();
    }
    numTriples = (operands.size() - 2) / 3;
    firstTriple = 2;
    outputAt = 0;
  } else {
    numTriples = contrib.numQuantizedInputs;
    firstTriple = 0;
    outputAt = 3 * numTriples;
    if (operands.size() > outputAt + 2) {
      nodeError(loc) << "op " << what << " has " << operands.size()
                     << " inputs; it takes at most " << outputAt + 2;
      return failure();
    }
    while (operands.size() < outputAt + 2)
      operands.push_back(getNone());
  }

  auto storageOf = [](Value v) -> IntegerType {
    auto type = dyn_cast<TensorType>(v.getType());
    auto elt = type ? dyn_cast<IntegerType>(type.getElementType()) : IntegerType();
    return elt && elt.getWidth() == 8 ? elt : IntegerType();
  };
  auto isSingle = [](Value v) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    return type && type.hasStaticShape() && type.getNumElements() == 1;
  };
  // The ops define per-tensor parameters only: one float scale, one zero
  // point of the data's type.
  auto checkParams = [&](size_t scaleAt, Type storage) {
    Value scale = operands[scaleAt], zp = operands[scaleAt + 1];
    if (isa<NoneType>(scale.getType()) || !isSingle(scale) ||
        !isa<FloatType>(cast<TensorType>(scale.getType()).getElementType())) {
      unsupported(loc, "input " + std::to_string(scaleAt) + " of op " + what +
                           " must be a float scale of one element");
      return false;
    }
    if (!isa<NoneType>(zp.getType()) && (!isSingle(zp) || storageOf(zp) != storage)) {
      unsupported(loc, "input " + std::to_string(scaleAt + 1) + " of op " + what +
                           " must be a zero point of one element and the data's type");
      return false;
    }
    return true;
  };
  Type storage;
  for (size_t t = 0; t < numTriples; ++t) {
    size_t at = firstTriple + 3 * t;
    IntegerType xStorage = storageOf(operands[at]);
    if (!xStorage || (storage && xStorage != storage)) {
      unsupported(loc, "input " + std::to_string(at) + " of op " + what +
                           " must be an int8 or uint8 tensor like its other inputs");
      return failure();
    }
    storage = xStorage;
    if (!checkParams(at + 1, storage))
      return failure();
  }
  if (!checkParams(outputAt, storage))
    return failure();

  // The float op's attributes; channels_last is the pools' own.
  const OnnxOpSpec *floatSpec = lookupOnnxOp(contrib.floatOp);
  assert(floatSpec && "a contrib op wraps an operator the table lacks");
  llvm::StringSet<> known = attributeNamesOf(floatSpec->qcName);
  bool isPool = contrib.floatOp.ends_with("AveragePool");
  bool channelsLast = false, ok = true;
  SmallVector<NamedAttribute> attrs;
  for (const AttributeProto &attr : node.attribute()) {
    StringRef name = attr.name();
    if (isPool && name == "channels_last") {
      if (attr.type() != AttributeProto::INT || (attr.i() != 0 && attr.i() != 1)) {
        unsupported(loc, "attribute 'channels_last' of op " + what + " must be the INT 0 or 1");
        ok = false;
      }
      channelsLast = attr.i() == 1;
      continue;
    }
    ok &= appendKnownAttribute(attr, known, what, loc, attrs);
  }
  if (!ok)
    return failure();
  int64_t rank = 0;
  if (channelsLast) {
    auto xType = dyn_cast<RankedTensorType>(operands[firstTriple].getType());
    if (!xType || xType.getRank() < 3) {
      unsupported(loc, "op " + what + " with channels_last = 1 needs an input of known "
                                      "rank >= 3");
      return failure();
    }
    rank = xType.getRank();
  }

  SmallVector<Value> dequantized;
  for (size_t t = 0; t < numTriples; ++t) {
    size_t at = firstTriple + 3 * t;
    dequantized.push_back(createInferred(
        "DequantizeLinear", {operands[at], operands[at + 1], operands[at + 2]}, {}, loc));
  }
  // The float computation, in the layout the qc ops take (NCHW).
  Value result;
  if (channelsLast && contrib.floatOp == "GlobalAveragePool") {
    // The mean over the spatial dims between N and C, kept as 1s.
    SmallVector<int64_t> axes;
    for (int64_t d = 1; d < rank - 1; ++d)
      axes.push_back(d);
    result = createInferred(
        "ReduceMean", {dequantized[0], createI64Constant(axes, loc)},
        {builder.getNamedAttr("keepdims", builder.getI64IntegerAttr(1))}, loc);
  } else {
    // AveragePool on NHWC: transposed to NCHW and back.
    auto transpose = [&](Value v, bool toChannelsFirst) {
      SmallVector<int64_t> perm{0};
      if (toChannelsFirst)
        perm.push_back(rank - 1);
      for (int64_t d = 1; d < rank - 1; ++d)
        perm.push_back(toChannelsFirst ? d : d + 1);
      if (!toChannelsFirst)
        perm.push_back(1);
      return createInferred(
          "Transpose", v, {builder.getNamedAttr("perm", builder.getDenseI64ArrayAttr(perm))},
          loc);
    };
    SmallVector<Value> inputs(dequantized);
    if (channelsLast)
      inputs[0] = transpose(inputs[0], /*toChannelsFirst=*/true);
    result = createInferred(contrib.floatOp, inputs, attrs, loc);
    // On failure the module is dropped, with the ops made so far.
    if (!keptAttributeKinds(result.getDefiningOp(), attrs, node, what))
      return failure();
    if (channelsLast)
      result = transpose(result, /*toChannelsFirst=*/false);
  }

  Value zp = operands[outputAt + 1];
  // QuantizeLinear makes uint8 without a zero point; these ops keep the
  // inputs' type.
  if (isa<NoneType>(zp.getType()))
    zp = createConstant(cast<ElementsAttr>(builder.getZeroAttr(RankedTensorType::get({}, storage))),
                        loc);
  values[node.output(0)] =
      createInferred("QuantizeLinear", {result, operands[outputAt], zp}, {}, loc, node.output(0));
  return success();
}

LogicalResult OnnxImporter::importNode(const NodeProto &node, Location loc) {
  auto poisonOutputs = [&] {
    for (const std::string &out : node.output())
      poisoned.insert(out);
  };
  if (llvm::any_of(node.input(), [&](const std::string &in) { return poisoned.contains(in); })) {
    poisonOutputs();
    return success();
  }
  size_t problemsBefore = problems.size();
  currentNode = &node;
  currentNodeName = cast<NameLoc>(loc).getName().str();
  LogicalResult result = importNodeImpl(node, loc);
  currentNode = nullptr;
  if (failed(result) && problems.size() != problemsBefore)
    poisonOutputs();
  if (succeeded(result))
    recordTensorNames(node, loc);
  return result;
}

void OnnxImporter::recordTensorNames(const NodeProto &node, Location loc) {
  llvm::MapVector<Operation *, SmallVector<Attribute>> names;
  for (const std::string &name : node.output()) {
    auto it = values.find(name);
    if (name.empty() || it == values.end())
      continue;
    auto result = dyn_cast<OpResult>(it->second);
    // Only ops made for this node: an Identity's output is its input.
    if (!result || result.getOwner()->getLoc() != loc)
      continue;
    Operation *op = result.getOwner();
    SmallVector<Attribute> &list = names[op];
    if (list.empty())
      list.assign(op->getNumResults(), builder.getStringAttr(""));
    list[result.getResultNumber()] = builder.getStringAttr(name);
  }
  for (auto &[op, list] : names)
    op->setLoc(FusedLoc::get(&ctx, {loc}, builder.getArrayAttr(list)));
}

LogicalResult OnnxImporter::importNodeImpl(const NodeProto &node, Location loc) {
  std::string domain = node.domain() == "ai.onnx" ? "" : node.domain();
  auto opsetIt = opsets.find(domain);
  int64_t opset = opsetIt == opsets.end() ? 0 : opsetIt->second;
  std::string domainName = domain.empty() ? "ai.onnx" : domain;
  if (domain == kMicrosoftDomain) {
    if (const QLinearContribSpec *contrib = lookupQLinearContribOp(node.op_type())) {
      if (opset == contrib->version)
        return importQLinearContrib(node, *contrib, loc);
      unsupported(loc, "op '" + node.op_type() + "' (domain '" + domainName + "', opset " +
                           std::to_string(opset) + ") is not supported; quantc reads it in "
                           "opset " + std::to_string(contrib->version) + " of that domain");
      return failure();
    }
  }
  const OnnxOpSpec *spec = domain.empty() ? lookupOnnxOp(node.op_type()) : nullptr;
  if (!spec) {
    unsupported(loc, "op '" + node.op_type() + "' (domain '" + domainName +
                         "', opset " + std::to_string(opset) + ") is not supported");
    return failure();
  }
  int64_t version = spec->resolveVersion(opset);
  if (version == 0) {
    unsupported(loc, "op '" + node.op_type() + "' does not exist in opset " +
                         std::to_string(opset));
    return failure();
  }
  auto describe = [&] {
    return "'" + node.op_type() + "' (domain '" + domainName + "', opset " +
           std::to_string(opset) + ", version " + std::to_string(version) + ")";
  };

  // Attributes, with those that later opsets turned into inputs set aside.
  llvm::StringSet<> known = attributeNamesOf(spec->qcName);
  unsigned movedIndex = 0;
  std::optional<StringRef> moved = attrBecameInput(node.op_type(), version, &movedIndex);
  SmallVector<NamedAttribute> attrs;
  Value movedInput;
  bool ok = true;
  for (const AttributeProto &attr : node.attribute()) {
    StringRef name = attr.name();
    if (moved && name == *moved) {
      movedInput = createI64Constant(
          SmallVector<int64_t>(attr.ints().begin(), attr.ints().end()), loc);
      continue;
    }
    // Attributes of old versions that carry no meaning at inference.
    if ((node.op_type() == "Dropout" && (name == "ratio" || name == "is_test")) ||
        (node.op_type() == "BatchNormalization" && name == "spatial" && version < 9))
      continue;
    if (node.op_type() == "Constant") {
      // value_float(s)/value_int(s) are spellings of `value`.
      SmallVector<int64_t> ints(attr.ints().begin(), attr.ints().end());
      Attribute value;
      if (name == "value_float")
        value = DenseElementsAttr::get(RankedTensorType::get({}, builder.getF32Type()),
                                       attr.f());
      else if (name == "value_floats")
        value = DenseElementsAttr::get(
            RankedTensorType::get({attr.floats_size()}, builder.getF32Type()),
            ArrayRef<float>(attr.floats().data(), attr.floats_size()));
      else if (name == "value_int")
        value = DenseElementsAttr::get(RankedTensorType::get({}, builder.getI64Type()),
                                       static_cast<int64_t>(attr.i()));
      else if (name == "value_ints")
        value = DenseElementsAttr::get(
            RankedTensorType::get({static_cast<int64_t>(ints.size())}, builder.getI64Type()),
            ArrayRef<int64_t>(ints));
      if (value) {
        attrs.emplace_back(builder.getStringAttr("value"), value);
        continue;
      }
    }
    ok &= appendKnownAttribute(attr, known, describe(), loc, attrs);
  }
  if (!ok)
    return failure();
  if (node.op_type() == "Constant" && attrs.empty()) {
    unsupported(loc, "Constant node has no value this importer understands "
                     "(sparse and string constants are not supported)");
    return failure();
  }

  auto nodeInputs = nodeOperands(node, loc);
  if (failed(nodeInputs))
    return failure();
  SmallVector<Value> operands = std::move(*nodeInputs);
  if (movedInput) {
    while (operands.size() < movedIndex)
      operands.push_back(getNone());
    operands.insert(operands.begin() + movedIndex, movedInput);
  }
  if (!spec->variadicInputs()) {
    if (operands.size() > static_cast<size_t>(spec->numInputs)) {
      nodeError(loc) << "op " << describe() << " has " << operands.size()
                     << " inputs; it takes at most " << spec->numInputs;
      return failure();
    }
    while (operands.size() < static_cast<size_t>(spec->numInputs))
      operands.push_back(getNone());
  }

  if ((node.op_type() == "Softmax" || node.op_type() == "LogSoftmax" ||
       node.op_type() == "Hardmax") &&
      version < 13) {
    if (node.output_size() != 1 || operands.size() != 1) {
      nodeError(loc) << node.op_type() << " takes one input and one output";
      return failure();
    }
    return importSoftmaxWithCoercion(node, *spec, loc, operands[0], attrs);
  }

  // Results: ONNX's inferred types where known, absent outputs are `none`.
  unsigned numResults = spec->variadicOutputs() ? node.output_size() : spec->numOutputs;
  if (node.output_size() > static_cast<int>(numResults)) {
    nodeError(loc) << "op " << describe() << " has " << node.output_size()
                   << " outputs; it produces at most " << numResults;
    return failure();
  }
  SmallVector<Type> resultTypes;
  for (unsigned i = 0; i < numResults; ++i) {
    bool present = i < static_cast<unsigned>(node.output_size()) && !node.output(i).empty();
    if (!present) {
      resultTypes.push_back(builder.getNoneType());
      continue;
    }
    resultTypes.push_back(resultTypeFor(node.output(i), *spec, operands, attrs, i));
  }

  Operation *op = createOp(spec->qcName, loc, resultTypes, operands, attrs);
  if (!keptAttributeKinds(op, attrs, node, describe())) {
    op->erase();
    return failure();
  }
  if (isa<QuantizeLinearOp, DequantizeLinearOp>(op))
    attachQuantType(op);
  for (auto [i, name] : llvm::enumerate(node.output()))
    if (!name.empty())
      values[name] = op->getResult(i);
  return success();
}

//===----------------------------------------------------------------------===//
// Graph
//===----------------------------------------------------------------------===//

// Nodes in an order where each input is defined before use (ONNX requires
// topological order, but not every exporter delivers it). Returns failure
// on a cycle.
static FailureOr<SmallVector<int>> topologicalOrder(const onnx::GraphProto &graph,
                                                    const llvm::StringSet<> &available) {
  // Keep the model's own order when it is already valid, so the IR reads
  // like the model.
  {
    llvm::StringSet<> defined = available;
    bool ordered = true;
    for (const NodeProto &node : graph.node()) {
      for (const std::string &in : node.input())
        if (!in.empty() && !defined.contains(in))
          ordered = false;
      for (const std::string &out : node.output())
        defined.insert(out);
    }
    if (ordered) {
      SmallVector<int> order;
      for (int i = 0; i < graph.node_size(); ++i)
        order.push_back(i);
      return order;
    }
  }
  llvm::StringMap<int> producer;
  for (int i = 0; i < graph.node_size(); ++i)
    for (const std::string &out : graph.node(i).output())
      if (!out.empty())
        producer[out] = i;
  std::vector<int> pending(graph.node_size(), 0);
  std::vector<SmallVector<int>> users(graph.node_size());
  for (int i = 0; i < graph.node_size(); ++i) {
    for (const std::string &in : graph.node(i).input()) {
      if (in.empty() || available.contains(in))
        continue;
      auto it = producer.find(in);
      if (it == producer.end())
        continue; // reported as undefined when the node is imported
      ++pending[i];
      users[it->second].push_back(i);
    }
  }
  std::deque<int> ready;
  for (int i = 0; i < graph.node_size(); ++i)
    if (pending[i] == 0)
      ready.push_back(i);
  SmallVector<int> order;
  while (!ready.empty()) {
    int n = ready.front();
    ready.pop_front();
    order.push_back(n);
    for (int user : users[n])
      if (--pending[user] == 0)
        ready.push_back(user);
  }
  if (static_cast<int>(order.size()) != graph.node_size())
    return failure();
  return order;
}

OwningOpRef<ModuleOp> OnnxImporter::import(onnx::ModelProto &model) {
  modelDir = llvm::sys::path::parent_path(sourceName).str();
  if (failed(readOpsets(model)))
    return nullptr;
  if (!model.has_graph()) {
    emitError(FileLineColLoc::get(&ctx, sourceName, 0, 0)) << "model has no graph";
    return nullptr;
  }
  if (failed(applyInputShapes(model)))
    return nullptr;
  if (options.shapeInference)
    runShapeInference(model);
  const onnx::GraphProto &graph = model.graph();

  for (const auto &info : graph.value_info())
    valueTypes[info.name()] = info.type();
  for (const auto &info : graph.output())
    if (!valueTypes.count(info.name()))
      valueTypes[info.name()] = info.type();

  Location fileLoc = FileLineColLoc::get(&ctx, sourceName, 0, 0);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  (*module)->setAttr("qc.opset", builder.getI64IntegerAttr(defaultOpset));
  if (!model.producer_name().empty())
    (*module)->setAttr("qc.producer",
                       builder.getStringAttr(model.producer_name() + " " +
                                             model.producer_version()));
  if (!graph.name().empty())
    (*module)->setAttr("qc.graph_name", builder.getStringAttr(graph.name()));

  // Initializers are constants, even when also listed as graph inputs (IR < 4).
  llvm::StringSet<> initializerNames;
  for (const auto &init : graph.initializer())
    initializerNames.insert(init.name());

  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const auto &input : graph.input()) {
    if (initializerNames.contains(input.name()))
      continue;
    Location loc = NameLoc::get(builder.getStringAttr(input.name()), fileLoc);
    auto type = convertTypeProto(input.type(), loc, "graph input '" + input.name() + "'");
    if (failed(type)) {
      poisoned.insert(input.name());
      continue;
    }
    argTypes.push_back(*type);
    argNames.push_back(input.name());
  }
  SmallVector<Type> resultTypes;
  for (const auto &output : graph.output()) {
    Location loc = NameLoc::get(builder.getStringAttr(output.name()), fileLoc);
    auto type = convertTypeProto(output.type(), loc, "graph output '" + output.name() + "'");
    resultTypes.push_back(succeeded(type) ? *type : builder.getNoneType());
  }

  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, fileLoc, "main",
                                   builder.getFunctionType(argTypes, {}));
  body = func.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(argNames)) {
    func.setArgAttr(i, "qc.name", builder.getStringAttr(name));
    values[name] = func.getArgument(i);
  }
  builder.setInsertionPointToEnd(body);

  for (const auto &init : graph.initializer()) {
    Location loc = NameLoc::get(builder.getStringAttr(init.name()), fileLoc);
    size_t problemsBefore = problems.size();
    auto value = convertTensor(init, loc);
    if (succeeded(value))
      values[init.name()] = createConstant(*value, loc);
    else if (problems.size() != problemsBefore)
      poisoned.insert(init.name());
    else
      return nullptr;
  }

  llvm::StringSet<> available;
  for (auto &entry : values)
    available.insert(entry.getKey());
  for (auto &entry : poisoned)
    available.insert(entry.getKey());
  auto order = topologicalOrder(graph, available);
  if (failed(order)) {
    emitError(fileLoc) << "the graph has a cycle";
    return nullptr;
  }
  for (int index : *order) {
    const NodeProto &node = graph.node(index);
    size_t before = problems.size();
    // A failure that recorded no unsupported construct is a malformed model:
    // its error is already emitted and importing further would only cascade.
    if (failed(importNode(node, nodeLoc(node, index))) && problems.size() == before)
      return nullptr;
  }

  if (!problems.empty()) {
    InFlightDiagnostic diag = emitError(fileLoc)
                              << "cannot import the model: " << problems.size()
                              << " unsupported construct"
                              << (problems.size() == 1 ? "" : "s");
    for (const Unsupported &p : problems)
      diag.attachNote(p.loc) << p.message;
    return nullptr;
  }

  SmallVector<Value> results;
  for (const auto &output : graph.output()) {
    auto it = values.find(output.name());
    if (it == values.end()) {
      emitError(fileLoc) << "graph output '" << output.name()
                         << "' is not produced by any node";
      return nullptr;
    }
    results.push_back(it->second);
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setFunctionType(builder.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "qc.name", builder.getStringAttr(output.name()));

  if (failed(verify(*module)))
    return nullptr;
  return module;
}

} // namespace

OwningOpRef<ModuleOp> importOnnxBytes(StringRef bytes, StringRef sourceName,
                                      MLIRContext &context, const ImportOptions &options) {
  context.loadDialect<QCDialect, func::FuncDialect, quant::QuantDialect>();
  Location loc = FileLineColLoc::get(&context, sourceName, 0, 0);
  if (bytes.empty()) {
    emitError(loc) << "'" << sourceName << "' is empty, not an ONNX model";
    return nullptr;
  }
  onnx::ModelProto model;
  if (bytes.size() > static_cast<size_t>(INT_MAX) ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    emitError(loc) << "'" << sourceName
                   << "' is not a valid ONNX model (protobuf parsing failed; the "
                      "file may be truncated or not an .onnx file)";
    return nullptr;
  }
  OnnxImporter importer(context, sourceName, options);
  return importer.import(model);
}

OwningOpRef<ModuleOp> importOnnxFile(StringRef path, MLIRContext &context,
                                     const ImportOptions &options) {
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/false,
                                                   /*RequiresNullTerminator=*/false);
  if (!buffer) {
    emitError(FileLineColLoc::get(&context, path, 0, 0))
        << "cannot open '" << path << "': " << buffer.getError().message();
    return nullptr;
  }
  return importOnnxBytes((*buffer)->getBuffer(), path, context, options);
}

std::vector<std::string> getSupportedOnnxOps() {
  std::vector<std::string> names;
  for (const OnnxOpSpec &spec : getOnnxOpTable())
    names.push_back(spec.onnxType.str());
  for (const QLinearContribSpec &spec : getQLinearContribOpTable())
    names.push_back((kMicrosoftDomain + "." + spec.onnxType).str());
  llvm::sort(names);
  return names;
}

} // namespace qc
