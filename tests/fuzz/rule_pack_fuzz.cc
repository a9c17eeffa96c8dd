// Fuzz target: rule packs. The input is a pack's indicators file (pack.lua,
// thresholds.lua and categories.lua are fixed); the pack is loaded with
// small limits (16 MiB, 200k instructions per call) and, when it loads,
// evaluated on one fixture school (tests/rules/pack_fixture.h).
//
// Whatever the Lua text does (syntax errors, endless loops, huge strings,
// deep recursion, errors with non-string values, pcall tricks, attempts to
// reach io/os/load), the host must not crash, hang or leak past the limits,
// and its results must be well formed: a load error or a rule failure has
// a message; an evaluated school has a known category, a score >= 0 and
// indicators with known levels and finite points >= 0.
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "rules/evaluator.h"
#include "rules/pack_fixture.h"
#include "rules/rule_pack.h"

namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, const char* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data, static_cast<std::streamsize>(size));
  FUZZ_CHECK(out.good(), "cannot write %s", path.c_str());
}

void Write(const fs::path& path, const std::string& text) { Write(path, text.data(), text.size()); }

// The pack folder of this process, with its fixed files; removed at exit.
// Allocated once and never freed: the exit handler runs after static
// objects are destroyed.
const fs::path& Pack() {
  static const fs::path* const folder = [] {
    auto* f = new fs::path(FuzzScratchFolder() / ("vigil-rule-fuzz-" + std::to_string(::getpid())) /
                           "pack");
    fs::create_directories(*f / "indicators");
    Write(*f / "pack.lua",
          "pack { name = \"fuzz\", title = \"Fuzz\", kind = \"school\",\n"
          "  applies = function(e) return e.attr.status ~= \"Closed\" end }\n");
    Write(*f / "thresholds.lua",
          "return {\n  points = 30,\n  years = 5,\n  percent = 12.5,\n  label = \"Good\",\n}\n");
    Write(*f / "categories.lua", vigil::rules::testing::kCategories);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(Pack().parent_path(), ec);
    });
    return f;
  }();
  return *folder;
}

bool KnownLevel(const std::string& level) {
  return level == "none" || level == "watch" || level == "concern" || level == "serious";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Write(Pack() / "indicators" / "fuzz.lua", reinterpret_cast<const char*>(data), size);
  vigil::rules::Limits limits;
  limits.memory_bytes = std::size_t{16} << 20;
  limits.instructions = 200'000;
  auto pack = vigil::rules::RulePack::Load(Pack(), limits);
  if (!pack) {
    FUZZ_CHECK(!pack.error().message.empty(), "a load error without a message");
    return 0;
  }
  FUZZ_CHECK((*pack)->name() == "fuzz" && (*pack)->categories().size() == 3, "the fixed files changed");

  vigil::rules::testing::SchoolFixture fixture;
  vigil::rules::Evaluator evaluator(**pack, fixture.names, "2023-11-30");
  if (!evaluator.Prepare().ok()) return 0;
  std::vector<vigil::rules::RuleFailure> failures;
  auto outcome = evaluator.Evaluate(fixture.school, failures);
  if (!outcome) {
    FUZZ_CHECK(!failures.empty(), "a failed evaluation without a failure: %s",
               outcome.error().message.c_str());
    for (const auto& f : failures) FUZZ_CHECK(!f.message.empty(), "a rule failure without a message");
    (void)vigil::rules::SummariseFailures(failures);
    return 0;
  }
  if (!*outcome) return 0;  // the pack's applies() left the school out
  const auto& o = **outcome;
  FUZZ_CHECK((*pack)->FindCategory(o.category) != nullptr, "unknown category '%s'", o.category.c_str());
  FUZZ_CHECK(!std::isnan(o.score) && o.score >= 0, "score %g", o.score);
  for (const auto& i : o.indicators) {
    FUZZ_CHECK(KnownLevel(i.level), "indicator '%s' has level '%s'", i.id.c_str(), i.level.c_str());
    FUZZ_CHECK(std::isfinite(i.points) && i.points >= 0, "indicator '%s' has %g points", i.id.c_str(),
               i.points);
  }
  return 0;
}
