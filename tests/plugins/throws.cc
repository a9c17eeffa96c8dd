// A C++ plugin built with the SDK helper whose Read() throws mid-stream: the
// helper must turn the exception into an error at the boundary, so the host
// sees a clean failure with the exception's message and never an exception.
#include <stdexcept>

#include <vigil/plugin.hpp>

namespace {

class Throws {
 public:
  Throws(vigil::sdk::Host host, const vigil::sdk::Settings&) : host_(host) {}
  void Read() {
    host_.Entity("school", "900100", "Thrown Academy", {});
    throw std::runtime_error("the spreadsheet's third sheet is missing");
  }

 private:
  vigil::sdk::Host host_;
};

constexpr vigil_setting_decl kSettings[] = {
    {"unused", VIGIL_SETTING_STRING, 0, nullptr, "Not used."},
};

}  // namespace

VIGIL_PLUGIN_ENTRY(vigil::sdk::Describe<Throws>("throws", "0.1.0", "Throws while reading.", "nothing", kSettings))
