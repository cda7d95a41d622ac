//===- QCDialect.td - the qc dialect ---------------------------*- tablegen -*-===//
//
// qc models ONNX operators on tensors. Each op follows the newest ONNX
// form of the operator we support (inputs rather than attributes where ONNX
// moved them), so the importer upgrades older opsets once and every later
// pass sees a single shape of each op. Absent optional ONNX inputs and
// outputs are values of type `none` produced by `qc.none`, which keeps
// operand positions identical to ONNX's.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_TD
#define QC_DIALECT_TD

include "mlir/IR/OpBase.td"

def QC_Dialect : Dialect {
  let name = "qc";
  let summary = "ONNX operators for the quantc quantizing compiler";
  let cppNamespace = "::qc";
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::quant::QuantDialect"];
  let hasConstantMaterializer = 1;
}

#endif // QC_DIALECT_TD
