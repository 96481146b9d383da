#!/usr/bin/env bash
# Runs Hearth's whole test suite on a fresh machine: installs what the tests need, builds, runs every test project,
# and ends with one summary line ("N passed, N failed, N skipped").
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK is required (https://dotnet.microsoft.com/download); 'dotnet' was not found on PATH" >&2
  exit 1
fi

# Everything else the tests need arrives through NuGet (LLamaSharp ships llama.cpp's CPU libraries);
# the tests make their own models with the model factory, so nothing is downloaded at test time.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The playground's browser test drives Debian's Chromium through Playwright, which must never download a browser itself.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium (for the playground's browser test)..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
fi

dotnet build Hearth.sln -c Release -warnaserror -nologo -clp:ErrorsOnly

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Hearth.sln -c Release --no-build --nologo --blame-hang-timeout 10m "$@" 2>&1 | tee "$log" || status=$?

# dotnet prints one "Passed!/Failed! - Failed: F, Passed: P, Skipped: S" line per test assembly: sum them.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit $status
