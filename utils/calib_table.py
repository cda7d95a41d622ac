"""Reads a quantc calibration table (format 2) for the test scripts.

read_table(path) -> {tensor: {"type", "scale", "zero_point", "amax", "min",
"max", "count", "bins", "bin_width", "method"}}, numbers as float/int; the
fields an edited line dropped are absent. Directive lines (@float, @bias)
are not tensors: read_directives(path) -> (float layers, {layer: [deltas]}).
"""

COLUMNS = [("type", str), ("scale", float), ("zero_point", int), ("amax", float),
           ("min", float), ("max", float), ("count", int), ("bins", int),
           ("bin_width", float), ("method", str)]


def read_table(path):
    rows = {}
    with open(path) as f:
        for line in f:
            if line.startswith(("#", "@")) or not line.strip():
                continue
            tensor, *fields = line.rstrip("\n").split("\t")
            rows[tensor] = {name: kind(value) for (name, kind), value in zip(COLUMNS, fields)}
    return rows


def read_directives(path):
    floats, biases = [], {}
    with open(path) as f:
        for line in f:
            kind, *fields = line.rstrip("\n").split("\t")
            if kind == "@float":
                floats.append(fields[0])
            elif kind == "@bias":
                biases[fields[0]] = [float(v) for v in fields[1].split()]
    return floats, biases
