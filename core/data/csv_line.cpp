#include "data/csv_line.hpp"

namespace towerlab {

std::string splitCsvLine(std::string_view line, std::vector<std::string>& fields) {
    std::size_t count = 0;
    std::size_t pos = 0;
    while (true) {
        if (count == fields.size()) {
            fields.emplace_back();
        }
        std::string& field = fields[count++];
        field.clear();
        if (pos < line.size() && line[pos] == '"') {
            ++pos;
            bool closed = false;
            while (pos < line.size()) {
                const char c = line[pos++];
                if (c != '"') {
                    field.push_back(c);
                } else if (pos < line.size() && line[pos] == '"') {
                    field.push_back('"');
                    ++pos;
                } else {
                    closed = true;
                    break;
                }
            }
            if (!closed) {
                fields.resize(count);
                return "unterminated quote in field " + std::to_string(count);
            }
            if (pos < line.size() && line[pos] != ',') {
                fields.resize(count);
                return "text after the closing quote of field " + std::to_string(count);
            }
        } else {
            const std::size_t stop = line.find(',', pos);
            const std::size_t end = stop == std::string_view::npos ? line.size() : stop;
            const std::string_view raw = line.substr(pos, end - pos);
            if (raw.find('"') != std::string_view::npos) {
                fields.resize(count);
                return "a quote inside unquoted field " + std::to_string(count);
            }
            field.assign(raw);
            pos = end;
        }
        if (pos >= line.size()) {
            fields.resize(count);
            return {};
        }
        ++pos; // the ','
        if (pos == line.size()) {
            // A trailing comma ends with one more, empty, field.
            if (count == fields.size()) {
                fields.emplace_back();
            }
            fields[count++].clear();
            fields.resize(count);
            return {};
        }
    }
}

bool isValidUtf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto b = static_cast<unsigned char>(text[i]);
        if (b < 0x80) {
            ++i;
            continue;
        }
        std::size_t extra = 0;
        char32_t code = 0;
        if ((b & 0xE0) == 0xC0) {
            extra = 1;
            code = b & 0x1F;
        } else if ((b & 0xF0) == 0xE0) {
            extra = 2;
            code = b & 0x0F;
        } else if ((b & 0xF8) == 0xF0) {
            extra = 3;
            code = b & 0x07;
        } else {
            return false;
        }
        if (i + extra >= text.size()) {
            return false;
        }
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto c = static_cast<unsigned char>(text[i + k]);
            if ((c & 0xC0) != 0x80) {
                return false;
            }
            code = (code << 6) | (c & 0x3F);
        }
        static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
        if (code < kMin[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
            return false;
        }
        i += extra + 1;
    }
    return true;
}

} // namespace towerlab
