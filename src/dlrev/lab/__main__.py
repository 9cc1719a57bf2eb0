"""`python -m dlrev.lab ...` is `dlrev lab ...`: the one lab command line (dlrev.cli.lab), here so
that torchrun can start it as a module:

    torchrun --nproc_per_node=2 -m dlrev.lab run --family default --out lab-runs/ddp
    torchrun --nproc_per_node=2 -m dlrev lab isoflop --out lab-runs/iso-ddp

Under torchrun every process trains the same models on its slice of each global batch
(DistributedDataParallel; gloo on CPU, NCCL on GPUs); rank 0 writes the folder and prints.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    from dlrev.cli import main as cli_main

    sys.argv = [sys.argv[0], "lab", *(sys.argv[1:] if argv is None else argv)]
    cli_main()


if __name__ == "__main__":
    main()
