#include "data/dataset.hpp"

#include <array>
#include <bit>
#include <cstring>
#include <string_view>
#include <utility>

namespace towerlab {

const std::vector<std::string>& occupationLabels() {
    static const std::vector<std::string> labels = {
        "academic/educator",
        "artist",
        "clerical/admin",
        "customer service",
        "doctor/health care",
        "entertainment",
        "executive/managerial",
        "farmer",
        "homemaker",
        "lawyer",
        "librarian",
        "other/not specified",
        "programmer",
        "retired",
        "sales/marketing",
        "scientist",
        "self-employed",
        "student",
        "technician/engineer",
        "tradesman/craftsman",
        "unemployed",
        "writer",
    };
    return labels;
}

int occupationLabelFromText(const std::string& text) {
    // The TFDS mapping from the 21 MovieLens 100K occupation texts to the 1M-style labels.
    static constexpr std::array<std::pair<std::string_view, int>, 21> table = {{
        {"administrator", 2}, {"artist", 1},        {"doctor", 4},      {"educator", 0},
        {"engineer", 18},     {"entertainment", 5}, {"executive", 6},   {"healthcare", 4},
        {"homemaker", 8},     {"lawyer", 9},        {"librarian", 10},  {"marketing", 14},
        {"none", 11},         {"other", 11},        {"programmer", 12}, {"retired", 13},
        {"salesman", 14},     {"scientist", 15},    {"student", 17},    {"technician", 18},
        {"writer", 21},
    }};
    for (const auto& [name, label] : table) {
        if (name == text) {
            return label;
        }
    }
    return -1;
}

int bucketizeAge(int years) {
    static constexpr std::array<int, 6> thresholds = {56, 50, 45, 35, 25, 18};
    for (int threshold : thresholds) {
        if (years >= threshold) {
            return threshold;
        }
    }
    return 1;
}

const std::vector<int>& ageBuckets() {
    static const std::vector<int> buckets = {1, 18, 25, 35, 45, 50, 56};
    return buckets;
}

namespace {

// FNV-1a 64 (offset basis 0xcbf29ce484222325, prime 0x100000001b3) fed with a canonical byte
// serialization, so the value never depends on endianness or struct layout:
//   every integer (counts included) as 8 little-endian bytes (two's complement),
//   a string as its byte length then its bytes, a float as its IEEE-754 bits widened to 8,
//   users:   count, then per user id, rawAge, ageBucket, occupationLabel, occupationText,
//            gender, zipCode;
//   movies:  count, then per movie id, title, genre count, each genre, year;
//   ratings: count, then per rating user, movie, rating, timestamp.
// Changing this changes every stored fingerprint: test_data_dataset pins one value.
class Fnv1a64 {
public:
    void bytes(const void* data, std::size_t size) {
        const auto* p = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < size; ++i) {
            m_hash ^= p[i];
            m_hash *= 0x100000001B3ULL;
        }
    }
    void u64(std::uint64_t value) {
        std::array<unsigned char, 8> le{};
        for (std::size_t i = 0; i < le.size(); ++i) {
            le[i] = static_cast<unsigned char>(value >> (8 * i));
        }
        bytes(le.data(), le.size());
    }
    void i64(std::int64_t value) { u64(static_cast<std::uint64_t>(value)); }
    void f32(float value) { u64(std::bit_cast<std::uint32_t>(value)); }
    void str(const std::string& value) {
        u64(value.size());
        bytes(value.data(), value.size());
    }
    std::uint64_t value() const { return m_hash; }

private:
    std::uint64_t m_hash = 0xCBF29CE484222325ULL;
};

} // namespace

std::string Dataset::fingerprint() const {
    // name and source are left out on purpose: the same data read from a folder or from a
    // zip must give the same fingerprint.
    Fnv1a64 h;
    h.u64(users.size());
    for (const User& u : users) {
        h.i64(u.id);
        h.i64(u.rawAge);
        h.i64(u.ageBucket);
        h.i64(u.occupationLabel);
        h.str(u.occupationText);
        h.i64(u.gender);
        h.str(u.zipCode);
    }
    h.u64(movies.size());
    for (const Movie& m : movies) {
        h.i64(m.id);
        h.str(m.title);
        h.u64(m.genres.size());
        for (int g : m.genres) {
            h.i64(g);
        }
        h.i64(m.year);
    }
    h.u64(ratings.size());
    for (const Rating& r : ratings) {
        h.i64(r.user);
        h.i64(r.movie);
        h.f32(r.rating);
        h.i64(r.timestamp);
    }

    static constexpr char digits[] = "0123456789abcdef";
    std::string hex(16, '0');
    std::uint64_t v = h.value();
    for (int i = 15; i >= 0; --i) {
        hex[static_cast<std::size_t>(i)] = digits[v & 0xF];
        v >>= 4;
    }
    return hex;
}

} // namespace towerlab
