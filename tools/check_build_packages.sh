#!/usr/bin/env bash
# Proves that tools/quickstart.sh installs everything a build used, so its two commands work on
# a fresh Debian 12 and not only on a machine where a package was once installed by hand.
#
#   tools/check_build_packages.sh BUILD_DIR PACKAGE...
#
# Every file under /usr that the configured and built tree in BUILD_DIR used:
#   - the CMake files configure read (the inputs of build.ninja's re-run rule, and the config
#     file of each *_DIR entry of CMakeCache.txt),
#   - the headers the compiler read (ninja's dependency records, `ninja -t deps`),
#   - the libraries linked (build.ninja's LINK_LIBRARIES, -lNAME resolved as the compiler does)
#     and loaded (ldd of every program and library built),
# must belong to a Debian package in the dependency closure of PACKAGE... (apt-cache depends
# --recurse, without recommends or suggests) or to an Essential package. Otherwise it fails,
# naming each file, its package and the line to add to quickstart.sh's list.
#
# Files are looked up in bulk: dpkg's file lists are read once and joined with the used files.
# Only coreutils, grep, sed, dpkg, apt and ninja: what the bare machine has after the install.
set -euo pipefail

if (($# < 2)); then
    echo "usage: tools/check_build_packages.sh BUILD_DIR PACKAGE..." >&2
    exit 2
fi
build="$1"
shift
if [ ! -f "$build/build.ninja" ] || [ ! -f "$build/CMakeCache.txt" ]; then
    echo "check_build_packages: $build is not a configured Ninja build (no build.ninja or" \
        "CMakeCache.txt)" >&2
    exit 2
fi
started=$SECONDS
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

# /lib, /bin and /sbin are /usr's (merged /usr): compare every path in its /usr spelling.
usr_spelling() {
    sed -E 's#^/(lib|lib32|lib64|libx32|bin|sbin)/#/usr/\1/#'
}

# ---- the files the build used -------------------------------------------------------------
{
    # CMake files configure read: build.ninja's re-run rule depends on each of them.
    ninja -C "$build" -t query build.ninja | sed -n 's#^ *| *\(/.*\)$#\1#p'
    # Each package CMake found: the config file in its *_DIR folder.
    sed -n 's#^[A-Za-z0-9_.+-]*_DIR:[A-Z]*=\(/usr/.*\)$#\1#p' "$build/CMakeCache.txt" |
        while IFS= read -r dir; do
            for f in "$dir"/*[Cc]onfig.cmake; do
                [ -e "$f" ] && printf '%s\n' "$f"
            done
        done
    # Headers (and anything else) the compiler read, as ninja recorded them.
    ninja -C "$build" -t deps | sed -n 's#^ *\(/usr/.*\)$#\1#p'
    # Libraries named on link lines: full paths as they are, -lNAME as the compiler finds it.
    sed -n 's#^ *LINK_LIBRARIES = ##p' "$build/build.ninja" | tr ' ' '\n' | grep -v '^$' |
        sort -u >"$tmp/link-words"
    grep '^/usr/' "$tmp/link-words" || true
    sed -n 's#^-l\(.*\)$#\1#p' "$tmp/link-words" | while IFS= read -r name; do
        for candidate in "lib$name.so" "lib$name.a"; do
            found="$(c++ -print-file-name="$candidate")"
            if [ "$found" != "$candidate" ]; then
                printf '%s\n' "$found"
                break
            fi
        done
    done
    # Shared libraries every built program and library loads.
    find "$build" -type f \( -perm -u+x -o -name '*.so*' \) -not -path '*/CMakeFiles/*' \
        -exec sh -c 'head -c 4 "$1" | grep -q ELF' _ {} \; -print >"$tmp/elves"
    while IFS= read -r elf; do
        ldd "$elf" 2>/dev/null | sed -n 's#^.*=> \(/[^ ]*\) (0x.*$#\1#p; s#^[[:space:]]*\(/[^ ]*\) (0x.*$#\1#p'
    done <"$tmp/elves"
} >"$tmp/used-raw"
# Lexical clean-up only (gcc writes /usr/lib/gcc/x86_64-linux-gnu/12/../../../../include/...);
# symbolic links are kept as they are, since dpkg lists them under the name the build used.
sort -u "$tmp/used-raw" | grep -E '^/(usr|lib|lib32|lib64|libx32|bin|sbin)/' |
    xargs -r -d '\n' realpath --no-symlinks -m -- | usr_spelling | sort -u >"$tmp/used"

# ---- who owns each file --------------------------------------------------------------------
# dpkg's file list of every installed package, read once: "path<TAB>package".
grep -H '' /var/lib/dpkg/info/*.list |
    sed -E 's#^/var/lib/dpkg/info/([^:/]+)(:[a-z0-9]+)?\.list:(.*)$#\3\t\1#' |
    usr_spelling | sort -t $'\t' -k1,1 -u >"$tmp/owners"

# ---- the packages the list installs ---------------------------------------------------------
apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances "$@" 2>"$tmp/apt-errors" |
    grep -v '^ ' | sed -E 's/^<(.*)>$/\1/; s/:[a-z0-9]+$//' >"$tmp/allowed-raw" || true
if [ ! -s "$tmp/allowed-raw" ]; then
    echo "check_build_packages: apt-cache depends found none of: $*" >&2
    cat "$tmp/apt-errors" >&2
    exit 2
fi
dpkg-query -W -f='${Package}\t${Essential}\n' | sed -n 's/\tyes$//p' >>"$tmp/allowed-raw"
sort -u "$tmp/allowed-raw" >"$tmp/allowed"

# ---- the verdict -----------------------------------------------------------------------------
# used file -> owner (a file several packages share is fine when any of them is allowed).
join -t $'\t' -a 1 "$tmp/used" "$tmp/owners" >"$tmp/used-owners"
problems=0
: >"$tmp/to-add"
while IFS=$'\t' read -r file owner; do
    if [ -z "$owner" ]; then
        # Not found under its own name: maybe a link to a file dpkg knows.
        real="$(readlink -f -- "$file" | usr_spelling)"
        owner="$(grep -m1 -F "$real"$'\t' "$tmp/owners" | cut -f2 || true)"
        if [ -z "$owner" ]; then
            echo "  $file: no Debian package installed it (installed by hand?)"
            problems=$((problems + 1))
            continue
        fi
    fi
    if ! grep -qxF "$owner" "$tmp/allowed"; then
        echo "  $file: from package $owner"
        echo "$owner" >>"$tmp/to-add"
        problems=$((problems + 1))
    fi
done <"$tmp/used-owners" >"$tmp/report"

used_count=$(wc -l <"$tmp/used")
if ((problems > 0)); then
    {
        echo "check_build_packages: the build in $build used $problems file(s) that the package"
        echo "list of tools/quickstart.sh does not install on a fresh Debian 12:"
        cat "$tmp/report"
        if [ -s "$tmp/to-add" ]; then
            echo "Add these lines to the packages=( ... ) list in tools/quickstart.sh:"
            # Only the packages that no other suggested one already brings in (libzip-dev, not
            # also its libzip4).
            sort -u "$tmp/to-add" >"$tmp/suggested"
            while IFS= read -r candidate; do
                others=$(grep -vxF "$candidate" "$tmp/suggested" || true)
                if [ -n "$others" ] && apt-cache depends --recurse --no-recommends --no-suggests \
                    --no-conflicts --no-breaks --no-replaces --no-enhances $others 2>/dev/null |
                    grep -v '^ ' | sed 's/:[a-z0-9]*$//' | grep -qxF "$candidate"; then
                    continue
                fi
                echo "    $candidate"
            done <"$tmp/suggested"
        fi
    } >&2
    exit 1
fi
echo "== package list checked: all $used_count files under /usr that the build in $build used" \
    "come from the quickstart's $# packages, their dependencies or Essential packages" \
    "($((SECONDS - started)) s)"
