#!/usr/bin/env bash
# Proves the README's quick start on a truly bare Debian 12, by hand (as root; it needs network
# access to a Debian mirror and about 6 GB of disk):
#
#   sudo tools/bare_debian_check.sh [WORK_DIR]
#
# 1. makes a minimal Debian 12 root (mmdebstrap --variant=minbase, plus git and ca-certificates
#    to fetch the source) in WORK_DIR/root, clones this repository's HEAD into it and runs both
#    README commands there: `tools/quickstart.sh demo`, then `tools/quickstart.sh test`;
# 2. makes a second bare root, installs the .deb the test command built with
#    `apt-get install ./towerlab_*.deb` (so apt must find every run-time dependency from the
#    package's own Depends), and runs `towerlab-cli train --demo` and `towerlab --version` there.
# Each step's time is printed at the end. WORK_DIR defaults to /tmp/towerlab-bare.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
    echo "bare_debian_check: run as root (it creates and chroots into Debian roots)" >&2
    exit 2
fi
for tool in mmdebstrap git; do
    command -v "$tool" >/dev/null || {
        echo "bare_debian_check: needs $tool (apt-get install $tool)" >&2
        exit 2
    }
done
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/towerlab-bare}"
mirrors=(
    "deb http://deb.debian.org/debian bookworm main"
    "deb http://deb.debian.org/debian bookworm-updates main"
    "deb http://deb.debian.org/debian-security bookworm-security main"
)
mkdir -p "$work"
timings=()
mounted=()

cleanup() {
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount -l "${mounted[i]}" 2>/dev/null || true
    done
}
trap cleanup EXIT

# A chroot that can run apt, compilers and tests: /proc, /sys, /dev and the host's resolver.
prepare_root() {
    local root="$1"
    for fs in proc sys dev dev/pts; do
        mkdir -p "$root/$fs"
        mount --bind "/$fs" "$root/$fs"
        mounted+=("$root/$fs")
    done
    cp -L /etc/resolv.conf "$root/etc/resolv.conf"
}

# step NAME COMMAND...: runs COMMAND, records how long it took.
step() {
    local name="$1"
    shift
    local started=$SECONDS
    echo "=== $name"
    "$@"
    timings+=("$(printf '%-58s %5d s' "$name" $((SECONDS - started)))")
}

in_root() {
    local root="$1"
    shift
    chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
        TERM=dumb bash -c "$*"
}

root="$work/root"
rm -rf "$root" "$work/deb-root"
step "mmdebstrap a bare Debian 12 (minbase + git)" \
    mmdebstrap --variant=minbase --include=ca-certificates,git bookworm "$root" "${mirrors[@]}"
prepare_root "$root"
step "clone HEAD into the root" \
    git clone --quiet --no-local "$repo" "$root/src/towerlab"
echo "    packages in the bare root: $(chroot "$root" dpkg-query -W | wc -l)"
step "README command 1: tools/quickstart.sh demo" \
    in_root "$root" "cd /src/towerlab && tools/quickstart.sh demo"
step "README command 2: tools/quickstart.sh test" \
    in_root "$root" "cd /src/towerlab && tools/quickstart.sh test"

deb="$(cd "$root/src/towerlab/build" && ls towerlab_*_amd64.deb)"
deb_root="$work/deb-root"
step "mmdebstrap a second bare Debian 12 for the package" \
    mmdebstrap --variant=minbase bookworm "$deb_root" "${mirrors[@]}"
prepare_root "$deb_root"
cp "$root/src/towerlab/build/$deb" "$deb_root/tmp/"
step "apt-get install ./$deb" \
    in_root "$deb_root" "apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq ./tmp/$deb"
step "installed towerlab-cli train --demo" \
    in_root "$deb_root" "cd /tmp && towerlab-cli --version && \
        towerlab-cli train --demo --epochs 5 --out /tmp/demo.tlm && \
        towerlab-cli recommend --model /tmp/demo.tlm --age 25 --occupation student \
            --gender M --timestamp 2023-06-15 -k 5"
step "installed towerlab-cli on the baseline engine (AVX-512 masked)" \
    in_root "$deb_root" "cd /tmp && GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX512F towerlab-cli \
        --version && GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX512F towerlab-cli train --demo \
        --epochs 5 --quiet"
step "installed towerlab starts (offscreen)" \
    in_root "$deb_root" "QT_QPA_PLATFORM=offscreen towerlab --version"

echo
echo "=== bare Debian 12: every step passed"
printf '%s\n' "${timings[@]}"
