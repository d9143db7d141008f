#!/usr/bin/python3
"""Writes the legacy PyTorch checkpoints (torch.save before the zip format) that the runtime's checkpoint tests read.

Two layouts exist. torch.save(..., _use_new_zipfile_serialization=False) still writes the legacy pickle format of
PyTorch 0.4 to 1.5: five pickles (magic number, protocol version, sys_info, the object with storages as persistent ids,
the sorted storage keys), then each storage as an int64 element count and its raw bytes. The older tar layout
(PyTorch before 0.4, the format of pytorch/vision#2068) can no longer be written by torch, so tar_save() builds it from
its definition, the reader torch 1.13 keeps (torch.serialization.legacy_load): members sys_info, storages, tensors and
pickle; main() checks every file written here with torch.load, so both layouts are what torch reads.

- small_cnn, tiny_vgg: the models of export_checkpoint_fixtures.py (same seeds, so the same weights as its
  .safetensors files and its .io.safetensors outputs), in both layouts.
- resnet18_stem: torchvision's resnet18 (seed 2026) cut to its stem, conv1 and bn1, and the first unit's batch norms:
  torchvision's key names for LoadTorchVisionWeights, with the same tensors as safetensors to compare against.
- shared_storages: tensors that are views into one storage at offsets, one of them transposed (strides (1, 4)), and a
  0-dim int64, in both layouts; shared_storages.safetensors holds the values they must read as. Storage views (a
  storage inside another, which files of PyTorch before 1.0 can hold) are not written: torch 1.13 cannot load them
  from a tar file, so nothing could check such a fixture, and the runtime rejects them by name.
- hostile files: a pickle whose object reduces to os.system (written by torch.save, never loaded here), a storage
  that claims more elements than the file holds, and a truncated file.

Run with Debian's PyTorch (apt-get install python3-torch python3-torchvision):

    /usr/bin/python3 Tests/Fixtures/export_legacy_checkpoint_fixtures.py

It writes into Tests/SlimGen.Runtime.Tests/Fixtures/checkpoints/. The tensors are deterministic; the storage keys of
the non-tar files are torch's memory addresses, so those files differ byte-wise between runs.
"""

import collections
import io
import os
import pickle
import struct
import sys
import tarfile

import torch
import torchvision

from export_checkpoint_fixtures import OUT_DIR, small_cnn, tiny_vgg
from fixture_io import save_safetensors

STORAGE_TYPES = {torch.float32: torch.FloatStorage, torch.float64: torch.DoubleStorage, torch.int64: torch.LongStorage}
TENSOR_TYPES = {torch.float32: torch.FloatTensor, torch.float64: torch.DoubleTensor, torch.int64: torch.LongTensor}
SYS_INFO = dict(protocol_version=1001, little_endian=sys.byteorder == "little", type_sizes=dict(short=2, int=4, long=4))


def legacy_save(state, path):
    torch.save(state, path, _use_new_zipfile_serialization=False)


def tar_save(state, path):
    """The tar layout, each storage written whole, with no storage views (torch 1.13 fails to load those)."""
    storages = collections.OrderedDict()  # storage key -> tensor owning the storage
    tensors = [(key, register(storages, tensor), tensor) for key, tensor in enumerate(state.values())]

    storages_file = io.BytesIO()
    pickle.dump(len(storages), storages_file, protocol=2)
    for key, owner in storages.items():
        pickle.dump((key, "cpu", STORAGE_TYPES[owner.dtype]), storages_file, protocol=2)
        data = owner.storage()
        storages_file.write(struct.pack("<q", data.size()))
        storages_file.write(bytes(data.untyped()))
    pickle.dump([], storages_file, protocol=2)  # the storage views

    tensors_file = io.BytesIO()
    pickle.dump(len(tensors), tensors_file, protocol=2)
    for key, storage_key, tensor in tensors:
        pickle.dump((key, storage_key, TENSOR_TYPES[tensor.dtype]), tensors_file, protocol=2)
        tensors_file.write(struct.pack("<ii", tensor.dim(), 0))
        tensors_file.write(struct.pack("<%dq" % tensor.dim(), *tensor.size()))
        tensors_file.write(struct.pack("<%dq" % tensor.dim(), *tensor.stride()))
        tensors_file.write(struct.pack("<q", tensor.storage_offset()))

    class TensorPickler(pickle.Pickler):
        def persistent_id(self, obj):
            if torch.is_tensor(obj):
                return str(next(key for key, _, tensor in tensors if tensor is obj))
            return None

    pickle_file = io.BytesIO()
    TensorPickler(pickle_file, protocol=2).dump(state)

    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, member in [("sys_info", pickle.dumps(SYS_INFO, protocol=2)), ("pickle", pickle_file.getvalue()),
                             ("storages", storages_file.getvalue()), ("tensors", tensors_file.getvalue())]:
            info = tarfile.TarInfo(name)
            info.size = len(member)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(member))


def register(storages, tensor):
    for key, owner in storages.items():
        if owner.storage().data_ptr() == tensor.storage().data_ptr():
            return key
    # torch keeps storages and tensors in one table by key, as old torch's object ids were: the keys must differ.
    key = 1000 + len(storages)
    storages[key] = tensor
    return key


def check(path, expected):
    """torch.load must read the file back as expected (tensors compared exactly)."""
    loaded = torch.load(path)
    assert list(loaded.keys()) == list(expected.keys()), path
    for name, value in expected.items():
        assert loaded[name].dtype == value.dtype and torch.equal(loaded[name], value), (path, name)


def export_model(name, model):
    state = model.state_dict()
    for suffix, save in [(".legacy.pt", legacy_save), (".tar.pt", tar_save)]:
        path = os.path.join(OUT_DIR, name + suffix)
        save(state, path)
        check(path, state)


def resnet18_stem():
    torch.manual_seed(2026)
    full = torchvision.models.resnet18(weights=None).state_dict()
    keep = [key for key in full if key.startswith(("conv1.", "bn1.", "layer1.0.bn1.", "layer1.0.bn2."))]
    state = collections.OrderedDict((key, full[key].clone()) for key in keep)
    for key, value in state.items():
        if value.dtype == torch.float32 and "running_var" not in key:
            value.copy_(torch.randn_like(value) * 0.1)
        elif "running_var" in key:
            value.copy_(torch.rand_like(value) + 0.5)
        else:
            value.fill_(11)
    legacy_save(state, os.path.join(OUT_DIR, "resnet18_stem.legacy.pt"))
    check(os.path.join(OUT_DIR, "resnet18_stem.legacy.pt"), state)
    save_safetensors(state, os.path.join(OUT_DIR, "resnet18_stem.safetensors"))


def shared_storages():
    base = torch.arange(24, dtype=torch.float32) / 8 - 1
    state = collections.OrderedDict()
    state["head"] = base[2:10].view(2, 4)
    state["transposed"] = base[8:24].view(4, 4).t()
    state["count"] = torch.tensor(7, dtype=torch.int64)
    state["doubles"] = torch.linspace(-1, 1, 6, dtype=torch.float64).view(3, 2)
    save_safetensors({name: value.contiguous() for name, value in state.items()}, os.path.join(OUT_DIR, "shared_storages.safetensors"))
    for suffix, save in [(".legacy.pt", legacy_save), (".tar.pt", tar_save)]:
        path = os.path.join(OUT_DIR, "shared_storages" + suffix)
        save(state, path)
        check(path, state)


class RunsAShellCommand:
    """An object whose unpickling calls os.system: torch.load would run the command."""

    def __reduce__(self):
        return os.system, ("echo a checkpoint ran this command",)


def hostile_files():
    legacy_save(collections.OrderedDict(weight=torch.zeros(2), payload=RunsAShellCommand()), os.path.join(OUT_DIR, "hostile_os_system.legacy.pt"))

    # One storage of 4 floats whose element count says 1,000,000: the file holds 16 bytes of data, not 4 MB.
    buffer = io.BytesIO()
    legacy_save(collections.OrderedDict(weight=torch.ones(4)), buffer)
    data = bytearray(buffer.getvalue())
    count_at = len(data) - 16 - 8
    assert struct.unpack_from("<q", data, count_at)[0] == 4
    struct.pack_into("<q", data, count_at, 1_000_000)
    with open(os.path.join(OUT_DIR, "hostile_huge_storage.legacy.pt"), "wb") as f:
        f.write(data)

    with open(os.path.join(OUT_DIR, "small_cnn.legacy.pt"), "rb") as f:
        whole = f.read()
    with open(os.path.join(OUT_DIR, "truncated.legacy.pt"), "wb") as f:
        f.write(whole[:-100])


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    torch.manual_seed(2024)
    export_model("small_cnn", small_cnn())
    torch.manual_seed(2025)
    export_model("tiny_vgg", tiny_vgg())
    resnet18_stem()
    shared_storages()
    hostile_files()


if __name__ == "__main__":
    main()
