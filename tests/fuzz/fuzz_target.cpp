// The libFuzzer entry point, built once per target with TOWERLAB_FUZZ_TARGET naming a
// towerlab::fuzz::Target (see tests/fuzz/CMakeLists.txt).

#include "fuzz_entry_points.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    towerlab::fuzz::runInput(towerlab::fuzz::Target::TOWERLAB_FUZZ_TARGET,
                             std::string_view(reinterpret_cast<const char*>(data), size),
                             TOWERLAB_FUZZ_FIXTURES);
    return 0;
}
