// Lua's syntax errors in an officer's words: "thresholds.lua line 171: a
// comma is missing at the end of the line" rather than "'}' expected (to
// close '{' at line 6) near 'x'". Lua's own message stays underneath.
#pragma once

#include <string>
#include <string_view>

namespace vigil::rules {

// `message` is what Lua said on loading `source` (shown as `display_name`).
// Returns the plain explanation followed by Lua's message, or `message`
// unchanged when the cause is not clear.
std::string ExplainSyntaxError(const std::string& message, std::string_view source,
                               const std::string& display_name);

}  // namespace vigil::rules
