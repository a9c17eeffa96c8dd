// A hash for unordered containers keyed by std::string that can be looked up
// with a std::string_view or const char* without building a string (with
// std::equal_to<> as the key equality).
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace vigil {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace vigil
