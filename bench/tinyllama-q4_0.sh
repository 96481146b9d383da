#!/usr/bin/env bash
# Runtime benchmark on a TinyLlama-1.1B-shaped model (random weights, Q4_0): Hearth's generation path against a bare
# llama.cpp decode loop in the same process. Needs ~3 GiB free disk. The models go to a scratch HEARTH_HOME
# (kept for reruns) unless HEARTH_BENCH_HOME names another.
# Usage: bench/tinyllama-q4_0.sh [threads]   (default: all cores)
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${1:-$(nproc)}"
export HEARTH_HOME="${HEARTH_BENCH_HOME:-${TMPDIR:-/tmp}/hearth-bench}"
dotnet build src/Hearth.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null
hearth=(dotnet src/Hearth.Cli/bin/Release/net10.0/hearth.dll)

if ! "${hearth[@]}" show tinyllama:q4_0 >/dev/null 2>&1; then
  "${hearth[@]}" create tinyllama --preset tinyllama-1.1b --seed 0
  "${hearth[@]}" quantize tinyllama --to q4_0
  "${hearth[@]}" rm tinyllama
fi
"${hearth[@]}" show tinyllama:q4_0
"${hearth[@]}" bench tinyllama:q4_0 --threads "$threads" --prompt-tokens 128 --generate 128 --repetitions 5
