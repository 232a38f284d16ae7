#pragma once
// Which instruction set this copy of the engine was compiled for. With run-time dispatch the
// dynamic loader chooses between two builds of the engine library, so only the engine itself
// can tell which one a process got; `towerlab-cli --version` and About show it.

#include <string_view>

namespace towerlab {

// "x86-64-v4 (AVX-512)" or "x86-64 (baseline)" for the two dispatched builds;
// "native (AVX-512)" or "native" for a TOWERLAB_NATIVE build; "generic" elsewhere.
std::string_view engineInstructionSet();

} // namespace towerlab
