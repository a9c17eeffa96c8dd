// The inline CSS and script of every report page (html_style.cc).
#pragma once

namespace vigil::reports::html {

extern const char* const kStyle;
extern const char* const kScript;

}  // namespace vigil::reports::html
