#!/usr/bin/env bash
# Runs clang-tidy with the repository's .clang-tidy over the code without Qt: every .cpp of
# core/ and app/cli/ (their headers through HeaderFilterRegex), with the compile commands of a
# configured build (CMAKE_EXPORT_COMPILE_COMMANDS is on in every build of this project).
#
#   tools/run_clang_tidy.sh BUILD_DIR [FILE...]
#
# Exits non-zero on any finding (WarningsAsErrors). CLANG_TIDY picks the binary (default
# clang-tidy), JOBS the parallel runs (default: all cores). About 6 s per file on one core;
# too slow for the CI budget, so it is run by hand.
set -euo pipefail

if (($# < 1)); then
    echo "usage: tools/run_clang_tidy.sh BUILD_DIR [FILE...]" >&2
    exit 2
fi
build="$1"
shift
cd "$(dirname "$0")/.."
if [ ! -f "$build/compile_commands.json" ]; then
    echo "run_clang_tidy: $build/compile_commands.json not found; configure a build first" \
        "(cmake -S . -B $build)" >&2
    exit 2
fi
tidy="${CLANG_TIDY:-clang-tidy}"
jobs="${JOBS:-$(nproc)}"

# The build precompiles headers with the compiler it uses (GCC); clang cannot read GCC's
# precompiled headers, so the commands are copied without them (every file includes what it
# uses, which the -DTOWERLAB_PCH=OFF build checks).
commands="$(mktemp -d)"
trap 'rm -rf "$commands"' EXIT
sed -E 's# -include [^ ]*cmake_pch\.hxx##g; s# -Winvalid-pch##g' \
    "$build/compile_commands.json" >"$commands/compile_commands.json"

if (($# > 0)); then
    files=("$@")
else
    mapfile -t files < <(git ls-files 'core/*.cpp' 'app/cli/*.cpp')
fi
started=$SECONDS
# GCC-only warning flags of the build (e.g. -Wno-maybe-uninitialized) are unknown to clang.
printf '%s\n' "${files[@]}" |
    xargs -P "$jobs" -n 1 "$tidy" -p "$commands" --quiet \
        --extra-arg=-Wno-unknown-warning-option
echo "clang-tidy: ${#files[@]} files clean in $((SECONDS - started)) s"
