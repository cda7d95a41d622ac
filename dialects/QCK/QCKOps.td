//===- QCKOps.td - qck: calls of quantc's kernels --------------*- tablegen -*-===//
//
// qck holds the compiler's own fused operations that end up as calls of the
// microkernels in lib/Kernels. They are in destination-passing style and
// work on tensors (with a result) or on buffers (without), so they pass
// through bufferization as linalg ops do; qc-linalg-to-microkernels turns
// the buffer form into calls.
//
//===----------------------------------------------------------------------===//

#ifndef QCK_OPS_TD
#define QCK_OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def QCK_Dialect : Dialect {
  let name = "qck";
  let summary = "Fused operations that quantc implements with its microkernels";
  let cppNamespace = "::qck";
}

def QCK_Conv2DOp : Op<QCK_Dialect, "conv2d", [
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "NCHW convolution with a per-channel affine, residual and activation epilogue";
  let description = [{
    ```
    y[n, f, oh, ow] = act(scale[f] * acc + shift[f] + residual[n, f, oh, ow])
    acc = sum over c, kh, kw of filter[f, c, kh, kw] *
          input[n, c, oh * strides[0] - pads[0] + kh * dilations[0],
                      ow * strides[1] - pads[1] + kw * dilations[1]]
    ```
    with zeros outside the input (`pads` = [top, left, bottom, right]).
    With `group` > 1 the channels and filters split into that many groups
    and each filter sees only its group's channels (filter is
    [filters, channels / group, kh, kw]); depthwise when every channel is
    its own group.
    `activation` is "none", "relu" or "clip" (to [clip_min, clip_max]).
    The init is only written: its contents do not matter. Covers Conv with
    bias, a following BatchNormalization, a residual Add and Relu/Clip.
  }];
  let arguments = (ins AnyShaped:$input, AnyShaped:$filter, AnyShaped:$scale, AnyShaped:$shift,
                   Optional<AnyShaped>:$residual, AnyShaped:$init,
                   DenseI64ArrayAttr:$pads, DenseI64ArrayAttr:$strides,
                   DenseI64ArrayAttr:$dilations, DefaultValuedAttr<I64Attr, "1">:$group,
                   StrAttr:$activation,
                   F32Attr:$clip_min, F32Attr:$clip_max);
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let assemblyFormat = [{
    `ins` `(` $input `,` $filter `,` $scale `,` $shift (`,` `residual` $residual^)? `:`
    type($input) `,` type($filter) `,` type($scale) `,` type($shift) (`,` type($residual)^)? `)`
    `outs` `(` $init `:` type($init) `)` attr-dict (`->` type($result)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() { return getInitMutable(); }
  }];
  let hasVerifier = 1;
}

def QCK_QConv2DOp : Op<QCK_Dialect, "qconv2d", [
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "NCHW 8-bit convolution requantized to 8 bits in one kernel";
  let description = [{
    The integer form of `qck.conv2d`: qc.conv_integer, its int32 bias and
    the qc.requantize after it, as one microkernel call.
    ```
    acc = sum over c, kh, kw of (filter[f, c, kh, kw] - filter_zero[f]) *
          (input[n, c, ih, iw] - input_zero_point)
    t = int32(acc + bias[f]) * multiplier[f]
      + (residual[n, f, oh, ow] - residual_zero_point) * residual_multiplier[f]
    y[n, f, oh, ow] = clamp(round(t / 2^shift[f]) + output_zero_point,
                            clamp_min, clamp_max)
    ```
    computed exactly in 64-bit integers, with the input reading
    `input_zero_point` outside its bounds (ih, iw as for `qck.conv2d`).
    `params` is i32 [5, filters]: the rows bias, multiplier, shift,
    filter_zero and residual_multiplier. Input, filter, residual and init
    are 8-bit, each signed (i8) or unsigned (ui8); `rounding` is
    qc.requantize's. An i32 init (no residual) takes int32(acc + bias[f])
    as it is, for a convolution whose result stays float: the requantize
    rows are then unused. The init is only written. The input's values are
    known to lie in [input_min, input_max] (the clamp of the op that made
    them; the type's range when unknown), which lets the kernel use its
    denser exact format for Relu'd inputs.
  }];
  let arguments = (ins AnyShaped:$input, AnyShaped:$filter, AnyShaped:$params,
                   Optional<AnyShaped>:$residual, AnyShaped:$init,
                   DenseI64ArrayAttr:$pads, DenseI64ArrayAttr:$strides,
                   DenseI64ArrayAttr:$dilations, DefaultValuedAttr<I64Attr, "1">:$group,
                   I64Attr:$input_zero_point, I64Attr:$residual_zero_point,
                   I64Attr:$output_zero_point, I64Attr:$clamp_min, I64Attr:$clamp_max,
                   I64Attr:$input_min, I64Attr:$input_max, StrAttr:$rounding);
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let assemblyFormat = [{
    `ins` `(` $input `,` $filter `,` $params (`,` `residual` $residual^)? `:`
    type($input) `,` type($filter) `,` type($params) (`,` type($residual)^)? `)`
    `outs` `(` $init `:` type($init) `)` attr-dict (`->` type($result)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() { return getInitMutable(); }
  }];
  let hasVerifier = 1;
}

def QCK_ObserveOp : Op<QCK_Dialect, "observe", [
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "Hand a tensor's values to the calibration runtime";
  let description = [{
    Calibration builds of a model report each observed tensor, by `id`, to
    the host's `qc_rt_observe(id, address, elements, samples)` (samples =
    the size of dimension 0), which updates its histogram. The op has a side
    effect, so it is never removed or reordered with another observe.
  }];
  let arguments = (ins AnyShaped:$input, I64Attr:$id);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def QCK_ProbeOp : Op<QCK_Dialect, "probe", [
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "Let the host compute a tensor from another (quantization analysis)";
  let description = [{
    Analysis builds of a model route each quantized operand (and each
    weighted layer's output) through a probe: the host's
    `qc_rt_probe(id, input, init, elements, samples)` (samples = the size of
    dimension 0) writes the init from the input: a copy, a fake
    quantization, a bias correction, while it records statistics. So one
    compiled model simulates any choice of which layers are quantized, and
    how. Input and init are f32 of one shape; the init is only written.
  }];
  let arguments = (ins AnyShaped:$input, AnyShaped:$init, I64Attr:$id);
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let assemblyFormat = [{
    `ins` `(` $input `:` type($input) `)` `outs` `(` $init `:` type($init) `)` attr-dict
    (`->` type($result)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() { return getInitMutable(); }
  }];
  let hasVerifier = 1;
}

#endif // QCK_OPS_TD
