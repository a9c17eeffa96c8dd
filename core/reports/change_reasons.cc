#include "reports/change_reasons.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/text.h"
#include "reports/levels.h"

namespace vigil::reports {

std::string IndicatorTitle(const PackReport& pack, const std::string& id) {
  for (const auto& i : pack.indicators)
    if (i.id == id) return i.title.empty() ? id : i.title;
  return id;
}

std::string CategoryLabel(const PackReport& pack, const std::string& id) {
  for (const auto& c : pack.categories)
    if (c.id == id) return c.label;
  return id;
}

namespace {

struct Level {
  std::string level = "not applied";
  double points = 0;
  bool applied = false;
};

std::string Describe(const Level& l) {
  if (!l.applied) return l.level;
  if (l.points == 0) return l.level;
  return fmt::format("{} ({} points)", l.level, FormatNumber(l.points));
}

struct Override {
  std::string by, expires, category, reason;
  bool operator==(const Override&) const = default;
};

std::optional<Override> StoredOverride(const std::string& json_text) {
  if (json_text.empty()) return std::nullopt;
  auto j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  auto text = [&](const char* field) {
    auto it = j.find(field);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  return Override{text("by"), text("expires"), text("category"), text("reason")};
}

}  // namespace

std::vector<std::string> ExplainChange(const PackReport& pack, const store::StoredResult* before,
                                       const rules::EntityOutcome* now) {
  std::vector<std::string> why;
  std::string since = fmt::format("run {}", pack.previous_run);
  if (before == nullptr) {
    why.push_back(fmt::format("Not assessed in {}: first assessed in this run", since));
    if (now != nullptr)
      for (const auto* i : BySeverity(now->indicators))
        if (i->level != "none")
          why.push_back(fmt::format("{}: {} ({} points): {}", IndicatorTitle(pack, i->id), i->level,
                                    FormatNumber(i->points), i->reason));
    return why;
  }
  if (now == nullptr) {
    why.push_back(fmt::format("No longer assessed: {} in {}, and not in this run's data or no longer "
                              "covered by the pack",
                              CategoryLabel(pack, before->category), since));
    return why;
  }

  // Every indicator either run knew, in the pack's order.
  std::vector<std::string> ids;
  for (const auto& i : pack.indicators) ids.push_back(i.id);
  for (const auto& i : before->indicators)
    if (std::find(ids.begin(), ids.end(), i.id) == ids.end()) ids.push_back(i.id);
  std::vector<std::pair<int, std::string>> moved;  // severity, sentence
  for (const auto& id : ids) {
    Level was, is;
    for (const auto& i : before->indicators)
      if (i.id == id) was = {i.level, i.points, true};
    const rules::IndicatorOutcome* current = nullptr;
    for (const auto& i : now->indicators)
      if (i.id == id) current = &i;
    if (current != nullptr) is = {current->level, current->points, true};
    std::string title = IndicatorTitle(pack, id);
    int severity = std::max(LevelRank(was.level), LevelRank(is.level));
    if (was.level != is.level) {
      std::string sentence = fmt::format("{}: {} → {}", title, Describe(was), Describe(is));
      if (current != nullptr && !current->reason.empty()) sentence += ": " + current->reason;
      moved.emplace_back(severity, std::move(sentence));
    } else if (was.points != is.points) {
      moved.emplace_back(severity, fmt::format("{}: {} → {} points ({})", title, FormatNumber(was.points),
                                               FormatNumber(is.points), is.level));
    }
  }
  std::stable_sort(moved.begin(), moved.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto& [severity, sentence] : moved) why.push_back(std::move(sentence));

  std::optional<Override> was_override = StoredOverride(before->override_json);
  std::optional<Override> is_override;
  if (now->override_applied) {
    const auto& o = *now->override_applied;
    is_override = Override{o.by, o.expires, o.category, o.reason};
  }
  if (was_override && was_override != is_override)
    why.push_back(fmt::format("Override by {} until {} no longer applies (it set {})", was_override->by,
                              was_override->expires, CategoryLabel(pack, was_override->category)));
  if (is_override && was_override != is_override)
    why.push_back(fmt::format("Override by {} until {}: {} (the rules give {})", is_override->by,
                              is_override->expires, is_override->reason,
                              CategoryLabel(pack, now->computed_category)));

  if (why.empty() && pack.rules_changed) {
    std::string files;
    for (const auto& f : pack.changed_files) files += (files.empty() ? "" : ", ") + f;
    why.push_back(files.empty() ? fmt::format("The rules changed since {}", since)
                                : fmt::format("The rules changed since {}: {}", since, files));
  }
  if (why.empty())
    why.push_back(fmt::format("Score {} → {}", FormatNumber(before->score), FormatNumber(now->score)));
  return why;
}

}  // namespace vigil::reports
