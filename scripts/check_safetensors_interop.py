#!/usr/bin/env python3
"""Prove that a safetensors file written by MarketLab loads in PyTorch.

    /work/venv/bin/python scripts/check_safetensors_interop.py model.safetensors [more.safetensors ...]

Loads each file with safetensors.torch.load_file (which validates the header, the
offsets and the dtypes), prints the metadata and every tensor (name, dtype, shape,
values), and compares the layout with what safetensors itself would write for the
same tensors (a warning, not a failure, when the bytes differ). Exits 0 when every
file loads, 1 when one does not, 2 on bad usage.
"""

import struct
import sys
import tempfile
from pathlib import Path


def check(path):
    from safetensors import safe_open
    from safetensors.torch import load_file, save_file
    import torch

    tensors = load_file(str(path))
    with safe_open(str(path), framework="pt") as f:
        metadata = f.metadata()
    print(f"{path}: {len(tensors)} tensor(s), metadata {metadata}")
    torch.set_printoptions(precision=8, threshold=50)
    for name in sorted(tensors):
        t = tensors[name]
        print(f"  {name}: {str(t.dtype).replace('torch.', '')} {list(t.shape)}")
        print("    " + str(t).replace("\n", "\n    "))

    # Would safetensors have written the same bytes? (MarketLab aims to.)
    raw = Path(path).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        again = Path(tmp) / "again.safetensors"
        save_file(tensors, str(again), metadata=metadata)
        same = again.read_bytes() == raw
    if same:
        print("  bytes identical to safetensors' own output")
    else:
        print("  note: bytes differ from safetensors' own output (still loads); header was:")
        (n,) = struct.unpack("<Q", raw[:8])
        print("    " + raw[8:8 + n].decode("utf-8", "replace"))


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    failed = 0
    for path in argv[1:]:
        try:
            check(path)
        except Exception as error:  # any load failure is the answer we report
            failed += 1
            print(f"{path}: FAILED to load in PyTorch: {type(error).__name__}: {error}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
