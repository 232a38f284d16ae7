#!/usr/bin/env bash
# Checks the Debian package that `cpack -G DEB` made, as far as it can be checked without
# installing it (tools/bare_debian_check.sh installs it on a bare Debian 12):
#
#   tools/check_package.sh BUILD_DIR/towerlab_VERSION_amd64.deb
#
# - its control data names the libraries it needs (dpkg-shlibdeps ran);
# - it holds both programs, both builds of the engine, the .desktop and AppStream files, and
#   those pass desktop-file-validate and appstreamcli validate;
# - it runs on any x86-64: no AVX instruction outside the x86-64-v4 engine, which does use
#   AVX-512, and no run path into the build tree;
# - unpacked, its CLI trains on the demo with the engine this CPU gets, and with the baseline
#   engine when AVX-512 is hidden from the loader (as on a CPU without it).
set -euo pipefail

if (($# != 1)) || [ ! -f "$1" ]; then
    echo "usage: tools/check_package.sh PACKAGE.deb" >&2
    exit 2
fi
deb="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() {
    echo "check_package: $deb: $*" >&2
    exit 1
}

depends="$(dpkg-deb -f "$deb" Depends)"
for lib in libqt6core6 libqt6widgets6 libqt6charts6 libgomp1 libzip4 qt6-qpa-plugins; do
    [[ ", $depends," == *", $lib "* || ", $depends," == *", $lib,"* ]] ||
        fail "Depends does not name $lib (was dpkg-shlibdeps missing?): $depends"
done

dpkg-deb -x "$deb" "$tmp/root"
root="$tmp/root"
engine=usr/lib/towerlab/libtowerlab_engine.so.0
engine_v4=usr/lib/towerlab/glibc-hwcaps/x86-64-v4/libtowerlab_engine.so.0
desktop=usr/share/applications/towerlab.desktop
metainfo=usr/share/metainfo/io.github.towerlab.TowerLab.metainfo.xml
for f in usr/bin/towerlab usr/bin/towerlab-cli "$engine" "$engine_v4" "$desktop" "$metainfo" \
    usr/share/icons/hicolor/scalable/apps/towerlab.svg; do
    [ -e "$root/$f" ] || fail "it does not hold /$f"
done

desktop-file-validate "$root/$desktop" || fail "/$desktop does not pass desktop-file-validate"
appstreamcli validate --no-net "$root/$metainfo" >"$tmp/appstream.log" 2>&1 || {
    cat "$tmp/appstream.log" >&2
    fail "/$metainfo does not pass appstreamcli validate"
}

# Any VEX- or EVEX-encoded instruction (vmovaps, vfmadd..., any use of ymm/zmm) dies with an
# illegal instruction on a CPU without AVX; only the x86-64-v4 engine may have them.
avx_instructions() {
    objdump -d --no-show-raw-insn "$1" | grep -cE $'\tv[a-z0-9]+ ' || true
}
for f in usr/bin/towerlab usr/bin/towerlab-cli "$engine"; do
    n="$(avx_instructions "$root/$f")"
    ((n == 0)) || fail "/$f has $n AVX instructions: it would not run on every x86-64"
    if readelf -d "$root/$f" | grep -E 'R(UN)?PATH' | grep -qv '\$ORIGIN'; then
        fail "/$f has a run path outside the package: $(readelf -d "$root/$f" | grep PATH)"
    fi
done
n="$(objdump -d "$root/$engine_v4" | grep -c zmm || true)"
((n > 0)) || fail "/$engine_v4 uses no AVX-512 register: it was not built for x86-64-v4"

cli="$root/usr/bin/towerlab-cli"
expected="x86-64 (baseline)"
if grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo &&
    grep -qw avx512cd /proc/cpuinfo && grep -qw avx512dq /proc/cpuinfo &&
    grep -qw avx512vl /proc/cpuinfo; then
    expected="x86-64-v4 (AVX-512)"
fi
for mask in "" "glibc.cpu.hwcaps=-AVX512F"; do
    want="$expected"
    [ -n "$mask" ] && want="x86-64 (baseline)"
    version="$(GLIBC_TUNABLES="$mask" "$cli" --version)"
    [[ "$version" == *"engine $want)" ]] ||
        fail "towerlab-cli --version says \"$version\"; expected the $want engine"
    GLIBC_TUNABLES="$mask" "$cli" train --demo --epochs 2 --quiet --out "$tmp/demo.tlm" \
        >"$tmp/train.log" 2>&1 || {
        cat "$tmp/train.log" >&2
        fail "the packaged towerlab-cli could not train on the demo (engine $want)"
    }
done
QT_QPA_PLATFORM=offscreen "$root/usr/bin/towerlab" --version >/dev/null ||
    fail "the packaged towerlab does not start (offscreen --version)"
echo "== package checked: $(basename "$deb") runs on any x86-64 (engine here: $expected)," \
    "its desktop and AppStream files validate"
