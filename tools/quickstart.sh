#!/usr/bin/env bash
# TowerLab's one-stop set-up for a fresh Debian 12 machine.
#   tools/quickstart.sh demo   install what is missing, build, open the app on the demo data
#                              (no display: train with the CLI and print a top-10 list)
#   tools/quickstart.sh test   install what is missing, build, prove the package list below is
#                              complete, run the whole test suite (again on the baseline x86-64
#                              engine), make and check the .deb, then build the core, CLI and
#                              their tests again with ASan + UBSan and run them there
#                              (TOWERLAB_ASAN=0 skips that last stage)
# Nothing is downloaded at build or test time except Debian packages named below.
# tools/bare_debian_check.sh runs both commands in a bare Debian 12 root.
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
    libhnswlib-dev
    qt6-base-dev qt6-charts-dev qt6-svg-dev libgl-dev
    # qt6-charts-dev does not depend on it, yet Qt6Charts' CMake package needs Qt6OpenGL.
    libqt6opengl6-dev
)
if [ "$mode" = test ]; then
    # What the test command uses beyond the build: cpack's dependency scan (file, dpkg-shlibdeps)
    # and the validators of the .desktop and AppStream files.
    packages+=(file dpkg-dev desktop-file-utils appstream)
fi
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
# The build users get: any x86-64, the AVX-512 engine picked at run time (CMakeLists.txt).
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTOWERLAB_NATIVE=OFF \
    -DTOWERLAB_CPU_DISPATCH=ON >/dev/null
cmake --build "$build"

if [ "$mode" = test ]; then
    # Every file under /usr that the build used must come from the list above (or what it pulls
    # in): a package installed by hand on this machine would otherwise hide a gap that breaks
    # the quick start on a fresh one.
    tools/check_build_packages.sh "$build" "${packages[@]}"

    # ctest's own log of each run, for the skipped count at the end.
    logs="$(mktemp -d)"
    trap 'rm -rf "$logs"' EXIT
    echo "== running the test suite"
    ctest --test-dir "$build" --output-on-failure --timeout 1200 -j 2 | tee "$logs/release.log"

    # The engine is built twice and the loader picks the AVX-512 one on this CPU when it can;
    # run the core and CLI tests again on the baseline engine, as on a CPU without AVX-512.
    if [ "$(GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX512F "$build/app/towerlab-cli" --version)" != \
        "$("$build/app/towerlab-cli" --version)" ]; then
        echo "== running the core and CLI tests on the baseline x86-64 engine (AVX-512 masked)"
        if ! GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX512F ctest --test-dir "$build" \
            --output-on-failure --timeout 1200 -j 2 -R '^(core|cli)_' -LE realdata \
            >"$logs/baseline-engine.txt"; then
            cat "$logs/baseline-engine.txt"
            exit 1
        fi
        grep -E '^[0-9]+% tests passed' "$logs/baseline-engine.txt"
    fi

    echo "== making and checking the Debian package"
    (cd "$build" && rm -f towerlab_*.deb && cpack -G DEB >/dev/null)
    tools/check_package.sh "$build"/towerlab_*_amd64.deb

    # The same suite again under AddressSanitizer + UndefinedBehaviorSanitizer: the asan preset
    # of CMakePresets.json (-O1, assertions on, so Eigen checks every index too). Core, CLI and
    # their tests only: Qt's libraries are not instrumented, so in the GUI's tests LeakSanitizer
    # mostly reports Qt's and the font/GL stack's own allocations. The test preset runs the
    # real-data training tests for 2 epochs instead of 50 (tests/support/test_support.hpp).
    # Both stages fit CI's budget on 2 cores because headers are precompiled
    # (cmake/PrecompiledHeaders.cmake).
    if [ "${TOWERLAB_ASAN:-1}" != 0 ]; then
        echo "== configuring and building the sanitizer suite in build-asan/"
        cmake --preset asan >/dev/null
        cmake --build --preset asan
        tools/check_build_packages.sh build-asan "${packages[@]}"
        echo "== running the test suite under ASan + UBSan"
        started=$SECONDS
        ctest --preset asan --timeout 1200 -j 2 | tee "$logs/asan.log"
        echo "== sanitizer suite passed in $((SECONDS - started)) s"
    fi

    # Tests that need the real MovieLens 100K exit 77 without it, which ctest counts as skipped.
    skipped=$(cat "$logs"/*.log | grep -c '(Skipped)$' || true)
    if ((skipped > 0)); then
        echo "== $skipped tests were skipped: they need the real MovieLens 100K, which is not"
        echo "== redistributable. To run them: TOWERLAB_ML100K=/path/to/ml-100k tools/quickstart.sh test"
    else
        echo "== no test was skipped (the real MovieLens 100K was found)"
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
