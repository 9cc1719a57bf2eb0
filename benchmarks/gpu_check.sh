#!/usr/bin/env bash
# The lab's GPU measurements (issue 17), prepared to run in one call on a lent GPU machine,
# where nothing can be downloaded and one command may run 10 minutes. Each stage is bounded;
# run one or several:
#
#   benchmarks/gpu_check.sh mfu       throughput against the nanoGPT-style reference loop, and
#                                     MFU of the lab's step at widths 768-2048 (about 5 min)
#   benchmarks/gpu_check.sh isoflop   `dlrev lab isoflop --device cuda --budget $BUDGET`
#                                     (default 8m, so that the call stays under 10 minutes)
#   benchmarks/gpu_check.sh ddp       the same IsoFLOP grid split over every GPU by torchrun
#                                     (NCCL, one run per process), budget $DDP_BUDGET (2m)
#
# Output goes to $OUT (the device tool's folder) or ./gpu-check: one log per stage and the
# IsoFLOP folders' results.json. Packages the GPU image lacks (typer, rich, ...) are installed
# from ./.gpu-wheels when that folder is there; fill it on a machine with PyPI first:
#
#   pip download --only-binary=:all: --python-version 3.12 --platform manylinux2014_x86_64 \
#       -d .gpu-wheels typer rich platformdirs pyyaml
#
# and carry it (`.gpu-wheels` is ignored by git). DEVICE=cpu runs the same stages on the CPU
# with small budgets, which is how the script itself is checked where there is no GPU.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT:-$PWD/gpu-check}"
mkdir -p "$OUT"
PY="${PYTHON:-python3}"
DEVICE="${DEVICE:-cuda}"
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}"

if [ -d .gpu-wheels ]; then
    "$PY" -m pip install --quiet --no-index --find-links .gpu-wheels .gpu-wheels/*.whl \
        >"$OUT/pip.log" 2>&1 || { echo "installing .gpu-wheels failed: see $OUT/pip.log"; exit 1; }
fi
"$PY" - <<'EOF' || exit 1
import importlib.util, sys
missing = [m for m in ("torch", "numpy", "scipy", "typer", "rich", "platformdirs", "yaml")
           if importlib.util.find_spec(m) is None]
if missing:
    sys.exit("gpu_check: missing Python packages " + ", ".join(missing)
             + "; carry them as wheels in .gpu-wheels (see the top of this script)")
import torch
print(f"torch {torch.__version__}, CUDA available: {torch.cuda.is_available()}"
      + (f", {torch.cuda.device_count()} x {torch.cuda.get_device_name()}"
         if torch.cuda.is_available() else ""))
EOF
[ "$DEVICE" = cpu ] || nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv \
    >"$OUT/nvidia-smi.csv" 2>&1 || true

stage_mfu() {
    if [ "$DEVICE" = cpu ]; then
        "$PY" benchmarks/bench_lab.py --device cpu --steps 5 2>&1 | tee "$OUT/mfu.log"
    else
        "$PY" benchmarks/bench_lab.py --device cuda 2>&1 | tee "$OUT/mfu.log"
    fi
}

stage_isoflop() {
    local budget="${BUDGET:-8m}" family=()
    [ "$DEVICE" = cpu ] && budget="${BUDGET:-1m}" && family=(--family tiny)
    rm -rf "$OUT/iso"
    "$PY" benchmarks/bench_lab.py --isoflop "$budget" --device "$DEVICE" --out "$OUT/iso" \
        ${family[@]+"${family[@]}"} 2>&1 | tee "$OUT/isoflop.log"
    cp "$OUT/iso/results.json" "$OUT/isoflop-results.json"
}

stage_ddp() {
    local n budget="${DDP_BUDGET:-2m}" extra=(--device "$DEVICE")
    if [ "$DEVICE" = cpu ]; then
        n=2; budget="${DDP_BUDGET:-1m}"; extra+=(--family tiny --threads 1)
    else
        n="$("$PY" -c 'import torch; print(torch.cuda.device_count())')"
    fi
    rm -rf "$OUT/ddp"
    local t0=$SECONDS
    "$PY" -m torch.distributed.run --standalone --nproc_per_node="$n" -m dlrev lab isoflop \
        --budget "$budget" --out "$OUT/ddp" --json "${extra[@]}" >"$OUT/ddp.json" \
        2>"$OUT/ddp.log"
    echo "torchrun over $n process(es): $((SECONDS - t0)) s for --budget $budget" \
        | tee -a "$OUT/ddp.log"
}

for stage in "${@:-mfu}"; do
    case "$stage" in
        mfu|isoflop|ddp) "stage_$stage" ;;
        *) echo "gpu_check: unknown stage '$stage' (mfu, isoflop, ddp)"; exit 2 ;;
    esac
done
