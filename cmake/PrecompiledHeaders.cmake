# Shared precompiled headers. One target of a group compiles the header; the others reuse it,
# which GCC and clang accept only when their flags and definitions match, so each group below
# is targets built with the same options (the engine, the CLI, the core tests, the GUI tests).
# With -DTOWERLAB_PCH=OFF every file includes what it uses on its own, as it must anyway.

# towerlab_pch_owner(<target> <header>...): <target> compiles the group's precompiled header.
function(towerlab_pch_owner target)
    if(TOWERLAB_PCH)
        target_precompile_headers(${target} PRIVATE ${ARGN})
    endif()
endfunction()

# towerlab_pch_reuse(<target> <owner>): <target> includes <owner>'s precompiled header.
function(towerlab_pch_reuse target owner)
    if(TOWERLAB_PCH)
        target_precompile_headers(${target} REUSE_FROM ${owner})
    endif()
endfunction()

# The standard headers most files of every group include.
set(TOWERLAB_PCH_STD_HEADERS
    <algorithm> <array> <cmath> <cstdint> <filesystem> <limits> <memory> <optional> <span>
    <stdexcept> <string> <string_view> <utility> <vector>)
