#!/usr/bin/python3
"""Runs ONNX's own checker, with full shape inference, on exported SlimGen models.

    dotnet run --project Samples/Demo -- --export-onnx /tmp/zoo-onnx
    /usr/bin/python3 Tests/Fixtures/check_onnx.py /tmp/zoo-onnx/*.onnx

Needs Debian's python3-onnx (apt-get install python3-onnx). Exits non-zero on the first model the checker rejects.
"""

import sys

import onnx


def main(paths):
    if not paths:
        sys.exit("usage: check_onnx.py MODEL.onnx ...")
    for path in paths:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        print(f"{path}: ok (opset {model.opset_import[0].version})")


if __name__ == "__main__":
    main(sys.argv[1:])
