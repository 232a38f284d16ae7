#include "data/byte_stream.hpp"

#include <algorithm>
#include <cstring>

namespace towerlab {

std::size_t MemoryByteStream::read(char* out, std::size_t size) {
    const std::size_t n = std::min({size, m_maxRead, m_bytes.size() - m_pos});
    if (n > 0) {
        std::memcpy(out, m_bytes.data() + m_pos, n);
    }
    m_pos += n;
    return n;
}

} // namespace towerlab
