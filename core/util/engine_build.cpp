#include "util/engine_build.hpp"

namespace towerlab {

// x86-64-v4 is AVX-512 F, BW, CD, DQ and VL; the softmax kernels need F, Eigen uses the rest.
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512CD__) &&                      \
    defined(__AVX512DQ__) && defined(__AVX512VL__)
#define TOWERLAB_ENGINE_V4 1
#else
#define TOWERLAB_ENGINE_V4 0
#endif

std::string_view engineInstructionSet() {
#if defined(TOWERLAB_NATIVE_BUILD)
    return TOWERLAB_ENGINE_V4 ? "native (AVX-512)" : "native";
#elif TOWERLAB_ENGINE_V4
    return "x86-64-v4 (AVX-512)";
#elif defined(__x86_64__)
    return "x86-64 (baseline)";
#else
    return "generic";
#endif
}

} // namespace towerlab
