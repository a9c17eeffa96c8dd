// The evaluate baseline: the job's first rule pack (the schools pack) run by
// Lua 5.4 over the same entities already built as plain Lua tables, by a Lua
// loop: no store reads, no entity view built in C++, no instruction hook, no
// protected call per rule, no results kept. Entities are built a thousand at a
// time (untimed) so the tables fit the pack's memory cap; only the loops that
// run the rules are timed.
#pragma once

#include <cstdint>
#include <filesystem>

#include "base/status.h"
#include "jobs/job_file.h"

namespace vigil::bench {

struct LuaBaseline {
  double seconds = 0;
  std::uint64_t evaluations = 0;  // (entity, indicator) pairs that applied and ran
};

Result<LuaBaseline> RunRulesOverLuaTables(const jobs::JobSpec& job, const std::filesystem::path& store);

}  // namespace vigil::bench
