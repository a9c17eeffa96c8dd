#include "jobs/report_output.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "base/files.h"
#include "jobs/run_support.h"
#include "reports/csv_writer.h"
#include "reports/html_writer.h"
#include "reports/json_writer.h"
#include "reports/markdown_writer.h"

namespace vigil::jobs {
namespace fs = std::filesystem;

namespace {

// A page per value: split by an attribute that is nearly unique (a name,
// a postcode) would write one page per entity, each carrying the whole
// report's frame.
constexpr std::size_t kMaxSplitPages = 2000;

}  // namespace

// "Sutton Coldfield" -> "sutton-coldfield": a file name that is safe anywhere.
std::string Slug(const std::string& text) {
  std::string slug;
  for (unsigned char c : text) {
    if (slug.size() >= 80) break;  // far below any file system's limit on a name
    if (std::isalnum(c)) slug += static_cast<char>(std::tolower(c));
    else if (!slug.empty() && slug.back() != '-') slug += '-';
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug.empty() ? "other" : slug;
}

namespace {

// A page per entity of each pack that has them (report_model.h: up to
// kEntityPagesLimit entities), in "<pack>/". The run's outputs list each
// folder once, with the number of pages and one sha256 over their names and
// contents, rather than hundreds of entries. One file-system flush covers
// them all (before the run commits).
Status WriteEntityPages(const reports::RunReport& report, const fs::path& folder, nlohmann::json& outputs) {
  bool wrote = false;
  for (const auto& pack : report.packs) {
    if (!pack.entity_pages || pack.outcomes.empty()) continue;
    std::string subfolder = fs::path(reports::EntityPagePath(pack.name, "x")).parent_path().string();
    VIGIL_RETURN_IF_ERROR(MakeFolder(folder / subfolder));
    Sha256 digest;
    for (const auto& o : pack.outcomes) {
      std::string path = reports::EntityPagePath(pack.name, o.entity.key);
      std::string page = reports::RenderEntityPage(report, pack, o);
      VIGIL_RETURN_IF_ERROR(WriteFileAtomically(folder / path, page, /*sync=*/false));
      Sha256 sha;
      sha.Update(page);
      digest.Update(path + '\0' + sha.HexDigest() + '\n');
    }
    outputs.push_back({{"path", subfolder + "/"}, {"pages", pack.outcomes.size()}, {"sha256", digest.HexDigest()}});
    wrote = true;
  }
  return wrote ? SyncFileSystem(folder) : Status::Ok();
}

}  // namespace

std::map<std::string, std::string> PageNames(const std::vector<std::string>& values) {
  // Slugs lowercase and drop punctuation, so "Hall Green", "Hall-Green" and
  // "hall green" meet, and a file system may not tell case apart: the first
  // value (in order) keeps the slug, the others get -2, -3, … after it.
  std::map<std::string, std::string> names;
  std::set<std::string> used;
  for (const auto& value : values) {
    std::string base = Slug(value), name = base;
    for (int n = 2; used.count(name); ++n) name = fmt::format("{}-{}", base, n);
    used.insert(name);
    names[value] = name;
  }
  return names;
}

Result<nlohmann::json> WriteReports(const reports::RunReport& report, const std::vector<std::string>& formats,
                                    const std::string& split_by, const fs::path& folder) {
  nlohmann::json outputs = nlohmann::json::array();
  auto write = [&](const std::string& name, const std::string& content) -> Status {
    VIGIL_RETURN_IF_ERROR(WriteFileAtomically(folder / name, content));
    Sha256 sha;
    sha.Update(content);
    outputs.push_back({{"path", name}, {"sha256", sha.HexDigest()}});
    return Status::Ok();
  };
  // The JSON document is the largest; it is rendered on the second core while
  // this thread writes the others, and takes its place in the list at the end.
  std::future<std::string> json;
  if (std::find(formats.begin(), formats.end(), "json") != formats.end())
    json = std::async(std::launch::async, [&report] { return reports::RenderJson(report); });
  std::optional<std::size_t> json_position;
  for (const auto& format : formats) {
    if (format == "html") {
      VIGIL_RETURN_IF_ERROR(write("report.html", reports::RenderHtml(report)));
      VIGIL_RETURN_IF_ERROR(WriteEntityPages(report, folder, outputs));
    }
    if (format == "markdown") VIGIL_RETURN_IF_ERROR(write("report.md", reports::RenderMarkdown(report)));
    if (format == "json" && !json_position) json_position = outputs.size();
    if (format == "csv")
      for (const auto& [name, content] : reports::RenderCsv(report))
        VIGIL_RETURN_IF_ERROR(write(name, content));
  }
  auto write_json = [&]() -> Status {
    if (!json_position) return Status::Ok();
    VIGIL_RETURN_IF_ERROR(write("report.json", json.get()));
    nlohmann::json entry = outputs.back();
    outputs.erase(outputs.end() - 1);
    outputs.insert(outputs.begin() + static_cast<std::ptrdiff_t>(*json_position), entry);
    return Status::Ok();
  };
  if (!split_by.empty()) {
    // One page per value of the attribute (e.g. a district board's own
    // report), with only the packs whose entities carry that attribute.
    // Each part starts from the report without its entities (copying the
    // whole report per part would cost districts x entities).
    reports::RunReport shell = report;
    for (auto& p : shell.packs) {
      p.outcomes.clear();
      p.histories.clear();  // entity pages are written once, from the main report
    }
    shell.lists = "all";  // a part is the main page's list, paginated by value
    constexpr std::size_t kRejectionsShown = 200;  // what a page lists; the rest are in the CSV
    if (shell.rejections.size() > kRejectionsShown) shell.rejections.resize(kRejectionsShown);
    // Which outcomes go to which page; each page is then built, written and
    // freed in turn, so only one part is in memory at a time.
    // An entity without the attribute goes to a page of its own, so every
    // entity is on exactly one page.
    std::map<std::string, std::vector<std::pair<std::size_t, std::size_t>>> parts;  // value -> (pack, outcome)
    std::vector<std::pair<std::size_t, std::size_t>> without;
    for (std::size_t i = 0; i < report.packs.size(); ++i) {
      const auto& outcomes = report.packs[i].outcomes;
      for (std::size_t j = 0; j < outcomes.size(); ++j) {
        bool placed = false;
        for (const auto& [name, v] : outcomes[j].entity.attributes)
          if (name == split_by && !v.empty() && !placed) {
            parts[v].emplace_back(i, j);
            placed = true;
          }
        if (!placed) without.emplace_back(i, j);
      }
    }
    if (parts.size() > kMaxSplitPages)
      return Fail(ErrorCode::kInvalidInput,
                  fmt::format("[output] split_by = \"{}\" has {} different values; a run writes at most {} pages "
                              "(split by an attribute with fewer values, such as district or ward)",
                              split_by, parts.size(), kMaxSplitPages));
    std::vector<std::string> values;
    for (const auto& [value, members] : parts) values.push_back(value);
    std::string no_value = fmt::format("(no {})", split_by);
    while (parts.count(no_value)) no_value = "(" + no_value + ")";  // never one of the real values
    if (!without.empty()) values.push_back(no_value);  // after every real value: its name is the one that gives way
    std::map<std::string, std::string> page_names = PageNames(values);
    if (!without.empty()) parts[no_value] = std::move(without);
    VIGIL_RETURN_IF_ERROR(MakeFolder(folder / ("by-" + split_by)));
    for (const auto& [value, members] : parts) {
      reports::RunReport part = shell;
      for (const auto& [i, j] : members) part.packs[i].outcomes.push_back(report.packs[i].outcomes[j]);
      std::erase_if(part.packs, [](const reports::PackReport& p) { return p.outcomes.empty(); });
      part.title = fmt::format("{} — {}", report.title, value);
      part.part = value;
      // The entities without a value are the group "" in the comparison.
      const std::string group = value == no_value ? std::string() : value;
      for (auto& p : part.packs) {
        reports::Finalise(p);
        // This value's own figures: its entities' changes (those no longer
        // assessed included), its counts in the previous run and in earlier periods.
        std::erase_if(p.changes, [&](const reports::CategoryChange& c) { return c.group != group; });
        auto before = p.previous_group_counts.find(group);
        p.previous_counts = before == p.previous_group_counts.end() ? std::map<std::string, std::size_t>{}
                                                                    : before->second;
        auto trend = p.group_trend.find(group);
        p.trend = trend == p.group_trend.end() ? std::vector<reports::TrendPoint>{} : trend->second;
        p.previous_group_counts.clear();
        p.group_trend.clear();
      }
      VIGIL_RETURN_IF_ERROR(
          write(fmt::format("by-{}/{}.html", split_by, page_names.at(value)), reports::RenderHtml(part)));
    }
  }
  VIGIL_RETURN_IF_ERROR(write_json());
  return outputs;
}

// Points `output/latest` at the run folder, replacing the old link at once.
Status UpdateLatest(const fs::path& output, const fs::path& run_folder) {
  fs::path link = output / "latest";
  fs::path temp = output / fmt::format(".latest-{}", ::getpid());
  std::error_code ec;
  fs::remove(temp, ec);
  fs::create_directory_symlink(run_folder.filename(), temp, ec);
  if (ec) return Fail(ErrorCode::kIo, fmt::format("cannot create link {}: {}", temp.string(), ec.message()));
  // rename(2) swaps the link in one step: readers see the old or the new.
  if (::rename(temp.c_str(), link.c_str()) != 0) {
    int err = errno;
    fs::remove(temp, ec);
    return Fail(ErrorCode::kIo, fmt::format("cannot replace {}: {}", link.string(), std::strerror(err)));
  }
  return Status::Ok();
}

Result<RunFolder> RunFolder::Begin(const fs::path& output, std::int64_t run_id) {
  std::error_code list_error;
  for (fs::directory_iterator it(output, list_error), end; !list_error && it != end; it.increment(list_error)) {
    std::string name = it->path().filename().string();
    if (name.size() > 9 && name.rfind(".run-", 0) == 0 && name.ends_with(".partial")) {
      std::error_code ec;
      fs::remove_all(it->path(), ec);
    }
  }
  std::string stamp = Timestamp("%Y%m%dT%H%M%S");
  std::string name = fmt::format("run-{}-{}", run_id, stamp);
  std::error_code ec;
  for (int n = 2; fs::exists(output / name, ec); ++n)  // the same run rendered twice in one second
    name = fmt::format("run-{}-{}-{}", run_id, stamp, n);
  VIGIL_RETURN_IF_ERROR(MakeFolder(output));
  fs::path partial = output / ("." + name + ".partial");
  // A folder of our own, made now: not one (or a link) that was there, which
  // must not be written into nor removed.
  if (!fs::create_directory(partial, ec))
    return Fail(ErrorCode::kIo, fmt::format("cannot create the report folder {}: {}", partial.string(),
                                            ec ? ec.message() : "it exists already"));
  return RunFolder(partial, output / name);
}

RunFolder::RunFolder(RunFolder&& other) noexcept
    : partial_(std::move(other.partial_)), final_(std::move(other.final_)) {
  other.partial_.clear();
}

RunFolder::~RunFolder() {
  if (partial_.empty()) return;
  std::error_code ec;
  fs::remove_all(partial_, ec);
}

Status RunFolder::Publish() {
  std::error_code ec;
  fs::rename(partial_, final_, ec);
  if (ec)
    return Fail(ErrorCode::kIo, fmt::format("cannot move the reports from {} to {}: {}", partial_.string(),
                                            final_.string(), ec.message()));
  partial_.clear();
  return Status::Ok();
}

bool FolderHoldsRun(const fs::path& folder, const store::RunRecord& run) {
  // The first file the run recorded, by its checksum: a folder of another
  // store's run N, or another job's in a shared output folder, has the name
  // but not the content.
  auto outputs = nlohmann::json::parse(run.outputs, nullptr, /*allow_exceptions=*/false);
  if (!outputs.is_array()) return false;
  for (const auto& entry : outputs) {
    if (!entry.is_object() || entry.contains("pages") || !entry.contains("path") || !entry["path"].is_string() ||
        !entry.contains("sha256") || !entry["sha256"].is_string())
      continue;
    auto sha = Sha256File(folder / entry["path"].get<std::string>());
    return sha && *sha == entry["sha256"].get<std::string>();
  }
  return false;
}

std::optional<fs::path> FindRunFolder(const fs::path& output, const store::RunRecord& run) {
  std::string prefix = fmt::format("run-{}-", run.id);
  std::vector<fs::path> candidates;
  std::error_code ec;
  for (fs::directory_iterator it(output, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) == 0 && it->is_directory(ec)) candidates.push_back(it->path());
  }
  std::sort(candidates.begin(), candidates.end(), std::greater<>());  // newest first
  for (const auto& folder : candidates)
    if (FolderHoldsRun(folder, run)) return folder;
  return std::nullopt;
}

std::string LatestTarget(const fs::path& output) {
  std::error_code ec;
  fs::path target = fs::read_symlink(output / "latest", ec);
  return ec ? std::string() : target.filename().string();
}

}  // namespace vigil::jobs
