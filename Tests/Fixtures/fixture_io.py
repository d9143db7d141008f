"""Helpers shared by the fixture exporters: a safetensors writer and random batch-norm statistics.

The writer follows the safetensors definition (a u64 little-endian header length, a JSON header padded
with spaces to 8 bytes, then the raw little-endian data), so the exporters need nothing beyond PyTorch.
"""

import json
import struct

import torch

SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}


def save_safetensors(tensors, path, metadata=None):
    """safetensors: u64 little-endian header length, JSON header (padded to 8 bytes), then the raw data.

    metadata (string to string) joins the header's __metadata__ after "format": "pt"."""
    header = {"__metadata__": {"format": "pt", **(metadata or {})}}
    blobs = []
    offset = 0
    for name, tensor in tensors.items():
        data = tensor.detach().contiguous().numpy().tobytes()  # little-endian on the machines PyTorch runs on
        header[name] = {"dtype": SAFETENSORS_DTYPES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def randomize_batch_norm(bn, num_batches_tracked=7):
    """Non-trivial batch-norm state from the global generator: gamma in [0.5, 1.5), beta ~ N(0, 0.2),
    running mean ~ N(0, 0.3), running variance in [0.5, 1.5), and a nonzero num_batches_tracked."""
    n = bn.num_features
    with torch.no_grad():
        bn.weight.copy_(torch.rand(n) + 0.5)
        bn.bias.copy_(torch.randn(n) * 0.2)
        bn.running_mean.copy_(torch.randn(n) * 0.3)
        bn.running_var.copy_(torch.rand(n) + 0.5)
        bn.num_batches_tracked.fill_(num_batches_tracked)
