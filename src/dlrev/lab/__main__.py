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
    from dlrev.cli import app
    from dlrev.errors import DlrevError

    args = ["lab", *(sys.argv[1:] if argv is None else argv)]
    try:
        app(args=args, prog_name="dlrev")  # the same errors, exit codes and help as `dlrev lab`
    except DlrevError as exc:  # raised outside a command, as dlrev.cli.main does
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
