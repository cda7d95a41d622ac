#!/usr/bin/env python3
"""Turn an ONNX text model (onnx.parser syntax) into a binary .onnx file.

  onnx_from_text.py IN.onnxtext -o OUT.onnx [--no-check] [--external-data]

Lit tests are written as .onnxtext files whose RUN/CHECK lines are comments:
every line whose first non-blank characters are `//` or `#` is blanked
before parsing (blanked, not removed, so that line numbers in parser errors
still match the file). Text after code on a line is left alone: the parser
itself skips `# ...` to the end of a line but not `// ...`. The model is
checked with onnx.checker.check_model unless --no-check is given (negative
tests build models the checker refuses, e.g. a node reading a value that
nothing defines).

IN may be `-` for stdin, OUT `-` for stdout. --external-data stores every
initializer's data in OUT.data next to OUT (ONNX external data), as large
models are shipped.

onnx's text parser writes 4-bit tensors (INT4, UINT4, FLOAT4E2M1) one
value per int32_data entry, while the ONNX spec (onnx.proto, TensorProto)
packs two values per entry, low nibble first; onnx's own numpy_helper and
make_tensor use the packed form. Such tensors are repacked here so that the
binary model follows the spec.
"""

import argparse
import sys


def strip_comments(text):
    """Blank every line that is a `//` or `#` comment."""
    lines = []
    for line in text.splitlines():
        stripped = line.lstrip()
        lines.append("" if stripped.startswith(("//", "#")) else line)
    return "\n".join(lines) + "\n"


def _four_bit_types():
    from onnx import TensorProto
    return {getattr(TensorProto, n) for n in ("INT4", "UINT4", "FLOAT4E2M1")
            if hasattr(TensorProto, n)}


def _repack_tensor(tensor, four_bit):
    """Pack a parser-written 4-bit tensor (one value per int32_data) in pairs."""
    if tensor.data_type not in four_bit or tensor.raw_data:
        return
    count = 1
    for d in tensor.dims:
        count *= d
    values = list(tensor.int32_data)
    if len(values) != count or len(values) == (count + 1) // 2:
        return  # already packed (or malformed: leave it to the consumer)
    packed = []
    for i in range(0, count, 2):
        lo = values[i] & 0xF
        hi = (values[i + 1] & 0xF) if i + 1 < count else 0
        packed.append(lo | (hi << 4))
    del tensor.int32_data[:]
    tensor.int32_data.extend(packed)


def _repack_nodes(nodes, four_bit):
    from onnx import AttributeProto
    for node in nodes:
        for attr in node.attribute:
            if attr.type == AttributeProto.TENSOR:
                _repack_tensor(attr.t, four_bit)
            elif attr.type == AttributeProto.TENSORS:
                for t in attr.tensors:
                    _repack_tensor(t, four_bit)
            elif attr.type == AttributeProto.GRAPH:
                _repack_graph(attr.g, four_bit)
            elif attr.type == AttributeProto.GRAPHS:
                for g in attr.graphs:
                    _repack_graph(g, four_bit)


def _repack_graph(graph, four_bit):
    for tensor in graph.initializer:
        _repack_tensor(tensor, four_bit)
    _repack_nodes(graph.node, four_bit)


def main(argv):
    parser = argparse.ArgumentParser(
        description="Convert an ONNX text model (onnx.parser syntax) to a binary .onnx file.")
    parser.add_argument("input", help="the .onnxtext file ('-' for stdin)")
    parser.add_argument("-o", "--output", required=True, help="the .onnx file to write ('-' for stdout)")
    parser.add_argument("--no-check", action="store_true",
                        help="do not run onnx.checker.check_model on the parsed model")
    parser.add_argument("--external-data", action="store_true",
                        help="store initializer data in OUT.data (ONNX external data)")
    args = parser.parse_args(argv[1:])

    import onnx
    import onnx.checker
    import onnx.parser

    if args.input == "-":
        text = sys.stdin.read()
    else:
        with open(args.input, encoding="utf-8") as f:
            text = f.read()

    try:
        model = onnx.parser.parse_model(strip_comments(text))
    except Exception as e:  # onnx.parser.ParseError, or a RuntimeError from C++
        message = e.args[0] if e.args else e
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        print(f"onnx_from_text: {args.input}: cannot parse: {message}", file=sys.stderr)
        return 1

    four_bit = _four_bit_types()
    _repack_graph(model.graph, four_bit)
    for function in model.functions:
        _repack_nodes(function.node, four_bit)

    if not args.no_check:
        try:
            onnx.checker.check_model(model)
        except onnx.checker.ValidationError as e:
            print(f"onnx_from_text: {args.input}: the model fails onnx.checker "
                  f"(pass --no-check to keep it anyway):\n{e}", file=sys.stderr)
            return 1

    if args.external_data:
        if args.output == "-":
            print("onnx_from_text: --external-data needs an output file", file=sys.stderr)
            return 1
        import os
        from onnx import numpy_helper
        # Only raw_data moves out of the model; the parser writes typed fields.
        for tensor in model.graph.initializer:
            if not tensor.HasField("raw_data"):
                tensor.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(tensor),
                                                        tensor.name))
        onnx.save_model(model, args.output, save_as_external_data=True,
                        all_tensors_to_one_file=True,
                        location=os.path.basename(args.output) + ".data",
                        size_threshold=0)
        return 0

    data = model.SerializeToString()
    if args.output == "-":
        sys.stdout.buffer.write(data)
    else:
        with open(args.output, "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
