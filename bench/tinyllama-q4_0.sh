#!/usr/bin/env bash
# Runtime benchmark on a TinyLlama-1.1B-shaped model (random weights, Q4_0): Hearth's generation path against a bare
# llama.cpp decode loop in the same process. Needs the `hearth` CLI (src/Hearth.Cli) and ~3 GiB free disk.
# Usage: bench/tinyllama-q4_0.sh [threads]   (default: all cores)
set -euo pipefail
threads="${1:-$(nproc)}"
work="${HEARTH_BENCH_DIR:-$(mktemp -d)}"
hearth=(dotnet run --project "$(dirname "$0")/../src/Hearth.Cli" -c Release --)

"${hearth[@]}" create --preset tinyllama-1.1b --output "$work/tinyllama-f16.gguf"
"${hearth[@]}" quantize "$work/tinyllama-f16.gguf" "$work/tinyllama-q4_0.gguf" q4_0
rm -f "$work/tinyllama-f16.gguf"
"${hearth[@]}" bench "$work/tinyllama-q4_0.gguf" --threads "$threads" --prompt-tokens 128 --generate 128 --repetitions 5
