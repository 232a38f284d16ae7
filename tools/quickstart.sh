#!/usr/bin/env bash
# TowerLab's one-stop set-up for a fresh Debian 12 machine.
#   tools/quickstart.sh demo   install what is missing, build, open the app on the demo data
#                              (no display: train with the CLI and print a top-10 list)
#   tools/quickstart.sh test   install what is missing, build, run the whole test suite, then
#                              build the core, CLI and their tests again with ASan + UBSan
#                              and run them there (TOWERLAB_ASAN=0 skips that second stage)
# Nothing is downloaded at build or test time except Debian packages named below.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-demo}"
case "$mode" in
demo | test) ;;
*)
    echo "usage: tools/quickstart.sh demo|test" >&2
    exit 2
    ;;
esac

# Build tools and the libraries the core, CLI, tests and GUI need.
packages=(
    cmake ninja-build g++ pkg-config
    libeigen3-dev libboost-program-options-dev libzip-dev zlib1g-dev nlohmann-json3-dev
    qt6-base-dev qt6-charts-dev qt6-svg-dev libgl-dev
    # qt6-charts-dev does not depend on it, yet Qt6Charts' CMake package needs Qt6OpenGL.
    libqt6opengl6-dev
)
missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if ((${#missing[@]})); then
    echo "== installing: ${missing[*]}"
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo_cmd=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

build="${TOWERLAB_BUILD_DIR:-build}"
echo "== configuring and building in $build/"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build"

if [ "$mode" = test ]; then
    echo "== running the test suite"
    ctest --test-dir "$build" --output-on-failure --timeout 1200 -j 2

    # The same suite again under AddressSanitizer + UndefinedBehaviorSanitizer: the asan preset
    # of CMakePresets.json (-O1, assertions on, so Eigen checks every index too). Core, CLI and
    # their tests only: Qt's libraries are not instrumented, so in the GUI's tests LeakSanitizer
    # mostly reports Qt's and the font/GL stack's own allocations. The test preset runs the
    # real-data training tests for 2 epochs instead of 50 (tests/support/test_support.hpp).
    # Both stages fit CI's 20 minutes on 2 cores because headers are precompiled
    # (cmake/PrecompiledHeaders.cmake).
    if [ "${TOWERLAB_ASAN:-1}" != 0 ]; then
        echo "== configuring and building the sanitizer suite in build-asan/"
        cmake --preset asan >/dev/null
        cmake --build --preset asan
        echo "== running the test suite under ASan + UBSan"
        started=$SECONDS
        ctest --preset asan --timeout 1200 -j 2
        echo "== sanitizer suite passed in $((SECONDS - started)) s"
    fi
    exit 0
fi

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "== opening TowerLab on the built-in demo dataset"
    exec "$build/app/towerlab"
fi
echo "== no display (DISPLAY and WAYLAND_DISPLAY are unset): the same demo with the CLI"
echo "== training the tutorial's model on the built-in demo dataset"
cli="$build/app/towerlab-cli"
"$cli" train --demo --epochs 10 --out "$build/demo.tlm"
echo "== top 10 for a 25-34 year old male student"
"$cli" recommend --model "$build/demo.tlm" --age 25 --occupation student --gender M \
    --timestamp 2023-06-15 -k 10
