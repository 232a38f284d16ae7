#pragma once
// One line of RFC-4180 CSV: fields separated by ',', a field may be enclosed in double
// quotes, and inside quotes ',' is literal and "" stands for one '"'.

#include <string>
#include <string_view>
#include <vector>

namespace towerlab {

// Splits `line` into `fields` (unquoted and unescaped), reusing the capacity of both
// vectors. Returns an empty string on success, else the reason ("unterminated quote",
// "text after a closing quote"). A record never spans lines here: MovieLens files put one
// record on each line, so a quote still open at the line end is an error.
std::string splitCsvLine(std::string_view line, std::vector<std::string>& fields);

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool isValidUtf8(std::string_view text);

} // namespace towerlab
