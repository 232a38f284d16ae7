#!/usr/bin/env bash
# TowerLab's one-stop set-up for a fresh Debian 12 machine.
#   tools/quickstart.sh demo   install what is missing, build, open the app on the demo data
#                              (no display: train with the CLI and print a top-10 list)
#   tools/quickstart.sh test   install what is missing, build, run the whole test suite (and
#                              then the core and CLI suite under ASan + UBSan with
#                              TOWERLAB_ASAN=1)
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

    # With TOWERLAB_ASAN=1, the same suite again under AddressSanitizer +
    # UndefinedBehaviorSanitizer (the settings of the asan preset in CMakePresets.json). Not on
    # by default: on the 2-core CI machine the normal stage takes about 10 minutes and the
    # sanitizer build alone would push the whole run past the 20-minute budget (issue 7).
    # Core, CLI and their tests only: the GUI's tests would double the sanitizer build and
    # their Qt libraries are not instrumented, so LeakSanitizer mostly reports Qt's and the
    # font/GL stack's own allocations there. The real-data training tests run 5 epochs
    # instead of 50 under the sanitizers (see tests/support/test_support.hpp).
    if [ "${TOWERLAB_ASAN:-0}" = 1 ]; then
        asan="${TOWERLAB_ASAN_BUILD_DIR:-build-asan}"
        echo "== configuring and building the sanitizer suite in $asan/"
        cmake -S . -B "$asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOWERLAB_SANITIZE=ON \
            -DTOWERLAB_BUILD_GUI=OFF >/dev/null
        cmake --build "$asan"
        echo "== running the test suite under ASan + UBSan"
        started=$SECONDS
        ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}" \
            UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
            TOWERLAB_REALDATA_EPOCHS="${TOWERLAB_REALDATA_EPOCHS:-5}" \
            ctest --test-dir "$asan" --output-on-failure --timeout 1200 -j 2
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
