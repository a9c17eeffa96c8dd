#include "jobs/run_job.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cctype>
#include <chrono>
#include <future>
#include <map>
#include <thread>
#include <unordered_set>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/bounded_queue.h"
#include "base/dates.h"
#include "base/files.h"
#include "base/log.h"
#include "jobs/store_sink.h"
#include "plugin_host/plugin_registry.h"
#include "plugin_host/source_session.h"
#include "reports/csv_writer.h"
#include "reports/html_writer.h"
#include "reports/json_writer.h"
#include "reports/markdown_writer.h"
#include "rules/evaluator.h"
#include "rules/rule_pack.h"
#include "store/store.h"

#ifndef VIGIL_VERSION
#define VIGIL_VERSION "0.0.0"
#endif

namespace vigil::jobs {
namespace fs = std::filesystem;

namespace {

std::string Timestamp(const char* format) {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, format, &local);
  return buffer;
}
std::string NowIso() { return Timestamp("%Y-%m-%dT%H:%M:%S%z"); }

// How many observations a run holds in memory before writing them to the
// store: VIGIL_INGEST_BATCH_ROWS, else 16 million (at most about 640 MB). Fewer rows
// use less memory; more mean fewer, larger sorted passes over the store.
std::size_t BatchRows() {
  const char* text = std::getenv("VIGIL_INGEST_BATCH_ROWS");
  if (text == nullptr || *text == '\0') return store::ObservationBatch::kDefaultMaxRows;
  char* end = nullptr;
  unsigned long long rows = std::strtoull(text, &end, 10);
  if (*end != '\0' || rows < 1000) {
    Logger("run")->warn("VIGIL_INGEST_BATCH_ROWS=\"{}\" is not a number of at least 1000; using {}", text,
                        store::ObservationBatch::kDefaultMaxRows);
    return store::ObservationBatch::kDefaultMaxRows;
  }
  return static_cast<std::size_t>(rows);
}

// The process's peak resident memory so far, in MB.
long PeakMemoryMb() {
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

// Seconds since the last call (or construction): times a run's stages in turn.
class Stopwatch {
 public:
  double Lap() {
    auto now = std::chrono::steady_clock::now();
    double seconds = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    return seconds;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

// An exclusive lock on "<store>.lock" for the whole run; released when the
// process ends, however it ends.
class RunLock {
 public:
  static Result<RunLock> Acquire(const fs::path& store) {
    fs::path path = store.string() + ".lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
      return Fail(ErrorCode::kIo, fmt::format("cannot create lock file {}", path.string()));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      return Fail(ErrorCode::kBusy,
                  fmt::format("another run is using the store {} (lock {} is held); wait for it "
                              "to finish", store.string(), path.string()));
    }
    return RunLock(fd);
  }
  RunLock(RunLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  RunLock& operator=(RunLock&&) = delete;
  RunLock(const RunLock&) = delete;
  ~RunLock() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  int fd_;
};

// "<store>.calling" names the plugin being called while a run is inside it.
// A plugin that crashes the process leaves it behind, so the next start can
// say which plugin it was instead of the failure staying anonymous. (The
// store itself is locked by the run's open transaction, hence a side file.)
fs::path CallingMarker(const fs::path& store) { return store.string() + ".calling"; }

// Reports and records a crash that the previous run could not record itself.
void RecordEarlierCrash(store::Store& store, const fs::path& store_path, const std::string& job) {
  fs::path marker = CallingMarker(store_path);
  std::error_code ec;
  if (!fs::exists(marker, ec)) return;
  auto text = ReadFile(marker);
  auto info = nlohmann::json::parse(text ? *text : std::string("{}"), nullptr, false);
  std::string message = fmt::format(
      "the process stopped while plugin '{}' was reading source '{}' (pid {}, started {}): the "
      "plugin crashed or the run was killed",
      info.value("plugin", std::string("?")), info.value("source", std::string("?")),
      info.value("pid", 0), info.value("started_at", std::string("?")));
  Logger("run")->error("previous run failed: {}", message);
  store::RunRecord record;
  record.job = info.value("job", job);
  record.as_of = info.value("as_of", std::string());
  record.started_at = info.value("started_at", std::string());
  record.finished_at = NowIso();
  record.message = "ingest: " + message;
  if (store.RecordFailedRun(record).ok()) fs::remove(marker, ec);
}

Status MakeFolder(const fs::path& folder) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec)
    return Fail(ErrorCode::kIo, fmt::format("cannot create folder {}: {}", folder.string(), ec.message()));
  return Status::Ok();
}

// What a source will read: its plugin, checked settings and input files
// with their checksums. Planned before the run so an unchanged period can be
// recognised without reading anything.
struct SourcePlan {
  std::shared_ptr<plugin_host::PluginLibrary> plugin;
  std::vector<plugin_host::ResolvedSetting> settings;
  std::vector<std::pair<std::string, std::string>> files;  // shown path, sha256
  Status status;                                           // why it cannot run, if so
};

SourcePlan PlanSource(const JobSpec& job, const plugin_host::PluginRegistry& registry, const SourceSpec& source) {
  SourcePlan plan;
  auto plugin = registry.Find(source.plugin);
  if (!plugin) {
    plan.status = Unexpected(plugin.error());
    return plan;
  }
  plan.plugin = *plugin;
  plugin_host::PathPolicy paths{job.folder, job.data_folders};
  auto settings = plugin_host::ResolveSettings(plan.plugin->descriptor(), source.name, source.settings, paths);
  if (!settings) {
    plan.status = Unexpected(settings.error());
    return plan;
  }
  plan.settings = std::move(settings).value();
  const auto& d = plan.plugin->descriptor();
  for (const auto& s : plan.settings) {
    for (std::size_t i = 0; i < d.setting_count; ++i) {
      if (s.name != d.settings[i].name || d.settings[i].type != VIGIL_SETTING_PATH) continue;
      std::error_code ec;
      if (!fs::is_regular_file(s.value, ec)) continue;  // the plugin reports a missing file
      auto sha = Sha256File(s.value);
      if (!sha) {
        plan.status = Unexpected(sha.error());
        return plan;
      }
      plan.files.emplace_back(fs::path(s.value).lexically_relative(job.folder).string(), *sha);
    }
  }
  return plan;
}

// Identifies a run's inputs: the period, the rules and every source's
// plugin, settings and file contents. Equal fingerprints give equal reports.
std::string Fingerprint(const std::string& as_of, const std::vector<std::unique_ptr<rules::RulePack>>& packs,
                        const std::vector<SourcePlan>& plans) {
  Sha256 hash;
  auto add = [&](std::string_view text) {
    hash.Update(text);
    hash.Update(std::string_view("\0", 1));
  };
  add(as_of);
  for (const auto& p : packs) add(p->hash());
  for (const auto& plan : plans) {
    add(plan.plugin ? plan.plugin->name() + " " + plan.plugin->version() : "(no plugin)");
    for (const auto& s : plan.settings) add(s.name + "=" + s.value);
    for (const auto& [path, sha] : plan.files) add(sha);
  }
  return hash.HexDigest();
}

// The run's work after the transaction has begun; any error rolls it back.
class Run {
 public:
  Run(const JobSpec& job, const RunOptions& options, store::Store& store, std::string as_of,
      std::vector<std::unique_ptr<rules::RulePack>>& packs)
      : job_(job), options_(options), store_(store), as_of_(std::move(as_of)), packs_(packs) {}

  Status Ingest(std::int64_t run_id, const std::vector<SourcePlan>& plans) {
    auto log = Logger("run");
    for (std::size_t i = 0; i < job_.sources.size(); ++i) {
      const SourceSpec& source = job_.sources[i];
      reports::SourceReport report;
      report.name = source.name;
      report.plugin = source.plugin;
      Status status = plans[i].status.ok() ? IngestOne(run_id, plans[i], source, report) : plans[i].status;
      if (!status.ok()) {
        if (source.on_error == OnError::kFail) return status;
        log->warn("source={} skipped=true reason=\"{}\"", source.name, status.error().message);
        report.skipped = true;
        report.skip_reason = status.error().message;
      }
      report_.sources.push_back(std::move(report));
    }
    return WriteObservations(run_id);
  }

  Status Evaluate() {
    auto log = Logger("run");
    for (auto& pack : packs_) {
      rules::Evaluator evaluator(*pack, store_.MeasureNames(), as_of_);
      VIGIL_RETURN_IF_ERROR(evaluator.Prepare());
      reports::PackReport report;
      report.name = pack->name();
      report.title = pack->title();
      report.kind = pack->kind();
      report.hash = pack->hash();
      report.categories = pack->categories();
      report.columns = pack->columns();
      report.group_by = pack->group_by();
      report.heatmap = pack->heatmap();
      report.summary = pack->summary();
      for (const auto& i : pack->indicators())
        report.indicators.push_back({i.id, i.title, i.file, i.line});
      std::vector<rules::RuleFailure> failures;
      bool fatal = false;
      std::vector<std::string> sources = job_.SourceNames();
      // Reading histories from the store and running the rules overlap: a
      // reader thread streams entities through a short queue while this
      // thread evaluates them. Only the reader uses the store meanwhile.
      BoundedQueue<store::EntityWithHistory> queue(64);
      Status read_status;
      std::thread reader([&] {
        read_status = store_.ForEachEntity(pack->kind(), [&](store::EntityWithHistory& e) -> Status {
          return queue.Push(std::move(e)) ? Status::Ok() : Fail(ErrorCode::kRuleFailure, "stopped");
        }, &sources);
        queue.Close();
      });
      // However this scope ends (even by an exception), the reader stops and is joined.
      struct StopReader {
        BoundedQueue<store::EntityWithHistory>& queue;
        std::thread& thread;
        ~StopReader() {
          if (!thread.joinable()) return;
          queue.Cancel();
          thread.join();
        }
      } stop_reader{queue, reader};
      Status status;
      while (auto e = queue.Pop()) {
        Stopwatch rules_time;
        auto outcome = evaluator.Evaluate(*e, failures);
        rules_seconds_ += rules_time.Lap();
        if (outcome && *outcome) report.outcomes.push_back(std::move(**outcome));
        fatal = fatal || (!failures.empty() && failures.back().fatal);
        // Keep going after an ordinary rule error to report all of them at
        // once, but stop at a budget or memory overrun or after many errors.
        if (fatal || failures.size() >= 1000) {
          status = Fail(ErrorCode::kRuleFailure, "stopped");
          queue.Cancel();
          break;
        }
      }
      reader.join();
      if (status.ok()) status = read_status;
      if (!failures.empty())
        return Fail(ErrorCode::kRuleFailure,
                    fmt::format("rule pack '{}' failed:\n  {}", pack->name(),
                                rules::SummariseFailures(failures)));
      VIGIL_RETURN_IF_ERROR(status);
      reports::Finalise(report);
      log->info("pack={} entities={}", pack->name(), report.outcomes.size());
      report_.packs.push_back(std::move(report));
    }
    return Status::Ok();
  }

  // Compares each pack's results with the job's previous succeeded run:
  // counts before, and which entities changed category and why. Reads only.
  Status CompareWithPrevious(std::int64_t run_id) {
    for (auto& pack : report_.packs) {
      VIGIL_ASSIGN_OR_RETURN(auto previous, store_.PreviousSucceededRun(job_.name, run_id));
      if (!previous) continue;
      pack.has_previous = true;
      pack.previous_run = *previous;
      VIGIL_ASSIGN_OR_RETURN(auto before, store_.LoadResults(*previous, pack.name));
      for (const auto& [key, result] : before) ++pack.previous_counts[result.category];
      for (const auto& o : pack.outcomes) {
        auto it = before.find(o.entity.key);
        std::string from = it == before.end() ? "" : it->second.category;
        if (from != o.category) {
          // Why, by stable indicator ids: which indicators changed level, with
          // today's reason; a reworded reason alone is not a change.
          std::string why;
          for (const auto& i : o.indicators) {
            std::string before_level = "not applied";
            if (it != before.end())
              for (const auto& [id, level] : it->second.indicator_levels)
                if (id == i.id) before_level = level;
            if (before_level == i.level) continue;
            why += fmt::format("{}{} {} -> {}: {}", why.empty() ? "" : "; ", i.id, before_level, i.level, i.reason);
          }
          pack.changes.push_back({o.entity.key, o.entity.name, from, o.category, why});
        }
        if (it != before.end()) before.erase(it);
      }
      for (const auto& [key, result] : before)  // what is left was not assessed this time
        pack.changes.push_back({key, "", result.category, "", "no longer assessed"});
      std::sort(pack.changes.begin(), pack.changes.end(),
                [](const auto& a, const auto& b) { return a.key < b.key; });
    }
    return Status::Ok();
  }

  // Stores every result with its indicators. Reads the report, writes only
  // the store, so the reports can be rendered meanwhile.
  Status WriteResults(std::int64_t run_id) const {
    for (const auto& pack : report_.packs) {
      for (const auto& o : pack.outcomes) {
        std::string override_json;
        if (o.override_applied)
          override_json = nlohmann::json{{"category", o.override_applied->category},
                                         {"reason", o.override_applied->reason},
                                         {"by", o.override_applied->by},
                                         {"expires", o.override_applied->expires}}.dump();
        VIGIL_RETURN_IF_ERROR(store_.AddResult(run_id, pack.name, o.entity.id, o.score, o.category,
                                               o.forced_by, o.computed_category, override_json));
        for (const auto& i : o.indicators) {
          VIGIL_RETURN_IF_ERROR(store_.AddIndicatorResult(run_id, pack.name, o.entity.id, i.id, i.level,
                                                          i.points, i.reason, nlohmann::json(i.evidence).dump()));
        }
      }
    }
    return Status::Ok();
  }

  reports::RunReport& report() { return report_; }
  const nlohmann::json& inputs() const { return inputs_; }
  // Of the evaluate stage, the seconds spent inside the rules; reading the
  // store overlaps them on another thread.
  double rules_seconds() const { return rules_seconds_; }

 private:
  // Writes what every source read into the store in one sorted pass, and
  // reports the values that contradict an earlier one for the same key.
  Status WriteObservations(std::int64_t run_id, std::size_t from = 0) {
    auto log = Logger("run");
    std::size_t total = batch_.size() - std::min(from, batch_.size());
    Stopwatch stopwatch;
    auto conflicts = batch_.WriteTo(store_, run_id, from, [&](std::size_t done, std::size_t all) {
      log->info("storing observations progress={:.0f}%", 100.0 * static_cast<double>(done) / static_cast<double>(all));
    });
    if (!conflicts) return Unexpected(conflicts.error());
    log->info("stored observations={} seconds={:.2f} conflicts={}", total, stopwatch.Lap(), conflicts->size());
    for (const auto& c : *conflicts) {
      const SourceSpec* source = nullptr;
      for (const auto& s : job_.sources)
        if (s.name == c.source) source = &s;
      if (source == nullptr) return Fail(ErrorCode::kInternal, "conflict from an unknown source " + c.source);
      VIGIL_ASSIGN_OR_RETURN(auto key, store_.EntityKey(c.entity_id));
      VIGIL_RETURN_IF_ERROR(RecordRejection(
          store_, run_id, *source,
          {c.source, c.file, c.line, c.measure, c.value,
           fmt::format("a second, different value for {} on {} in this source ({} was read first "
                       "and is kept)", key, c.as_of, c.kept)},
          report_.rejections, report_.rejection_count));
      for (auto& r : report_.sources)
        if (r.name == c.source) ++r.rejections;
    }
    return Status::Ok();
  }

  Status IngestOne(std::int64_t run_id, const SourcePlan& plan, const SourceSpec& source,
                   reports::SourceReport& report) {
    auto log = Logger("run");
    const auto& plugin = plan.plugin;
    const auto& settings = plan.settings;
    report.plugin_version = plugin->version();
    report.files = plan.files;
    nlohmann::json files = nlohmann::json::array();
    for (const auto& [path, sha] : plan.files) files.push_back({{"path", path}, {"sha256", sha}});
    inputs_.push_back({{"source", source.name}, {"plugin", plugin->name()},
                       {"plugin_version", plugin->version()}, {"plugin_abi", plugin->abi()},
                       {"files", files}});
    // A batch three-quarters full is written before the next source, so that
    // a batch that fills up during a source holds mostly that source's rows.
    if (batch_.size() >= batch_.max_rows() / 4 * 3) VIGIL_RETURN_IF_ERROR(WriteObservations(run_id));
    // A savepoint per source, so a skipped source leaves nothing behind: its
    // rows still in the batch are dropped, those written early are rolled
    // back (only this source's rows are written inside the savepoint).
    VIGIL_RETURN_IF_ERROR(store_.db().Exec("SAVEPOINT source"));
    fs::path marker = options_.dry_run ? fs::path() : CallingMarker(store_.path());
    if (!marker.empty()) {
      nlohmann::json calling = {{"job", job_.name},          {"as_of", as_of_},
                                {"source", source.name},     {"plugin", plugin->name()},
                                {"pid", ::getpid()},         {"started_at", NowIso()}};
      VIGIL_RETURN_IF_ERROR(WriteFileAtomically(marker, calling.dump()));
    }
    std::uint64_t rejections_before = report_.rejection_count;
    std::size_t batch_before = batch_.size();
    auto write_this_source = [&]() -> Status { return WriteObservations(run_id, batch_before); };
    StoreSink sink(store_, batch_, entity_ids_, write_this_source, run_id, source, job_.folder, report_.rejections, report_.rejection_count, options_.cancel);
    auto counts = plugin_host::RunSource(*plugin, source.name, settings, sink);
    if (!marker.empty()) {
      std::error_code ec;
      fs::remove(marker, ec);
    }
    Status finished = counts ? sink.Finish() : Status::Ok();
    if (!counts || !finished.ok()) {
      (void)store_.db().Exec("ROLLBACK TO source; RELEASE source");
      batch_.Truncate(batch_before);
      entity_ids_.clear();  // entities this source added are gone
      if (options_.cancel && options_.cancel->load())
        return Fail(ErrorCode::kIo, "the run was cancelled");
      return counts ? finished : Status(Unexpected(counts.error()));
    }
    VIGIL_RETURN_IF_ERROR(store_.db().Exec("RELEASE source"));
    report.entities = counts->entities;
    report.observations = counts->observations;
    report.first_date = sink.first_date();
    report.last_date = sink.last_date();
    report.rejections = report_.rejection_count - rejections_before;
    log->info("source={} plugin={} version={} entities={} observations={} rejected={}", source.name,
              plugin->name(), plugin->version(), report.entities, report.observations, report.rejections);
    return Status::Ok();
  }

  const JobSpec& job_;
  const RunOptions& options_;
  store::Store& store_;
  std::string as_of_;
  std::vector<std::unique_ptr<rules::RulePack>>& packs_;
  reports::RunReport report_;
  nlohmann::json inputs_ = nlohmann::json::array();
  store::ObservationBatch batch_{BatchRows()};
  StoreSink::EntityIds entity_ids_;
  double rules_seconds_ = 0;  // of the evaluate stage, the time inside the rules
};

// Writes every format into `folder` and returns [{path, sha256}].
// "Sutton Coldfield" -> "sutton-coldfield": a file name that is safe anywhere.
std::string Slug(const std::string& text) {
  std::string slug;
  for (unsigned char c : text) {
    if (std::isalnum(c)) slug += static_cast<char>(std::tolower(c));
    else if (!slug.empty() && slug.back() != '-') slug += '-';
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug.empty() ? "other" : slug;
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
    if (format == "html") VIGIL_RETURN_IF_ERROR(write("report.html", reports::RenderHtml(report)));
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
    for (auto& p : shell.packs) p.outcomes.clear();
    shell.lists = "all";  // a part is the main page's list, paginated by value
    constexpr std::size_t kRejectionsShown = 200;  // what a page lists; the rest are in the CSV
    if (shell.rejections.size() > kRejectionsShown) shell.rejections.resize(kRejectionsShown);
    // Which outcomes go to which page; each page is then built, written and
    // freed in turn, so only one part is in memory at a time.
    std::map<std::string, std::vector<std::pair<std::size_t, std::size_t>>> parts;  // value -> (pack, outcome)
    for (std::size_t i = 0; i < report.packs.size(); ++i) {
      const auto& outcomes = report.packs[i].outcomes;
      for (std::size_t j = 0; j < outcomes.size(); ++j) {
        for (const auto& [name, v] : outcomes[j].entity.attributes)
          if (name == split_by && !v.empty()) parts[v].emplace_back(i, j);
      }
    }
    VIGIL_RETURN_IF_ERROR(MakeFolder(folder / ("by-" + split_by)));
    for (const auto& [value, members] : parts) {
      reports::RunReport part = shell;
      for (const auto& [i, j] : members) part.packs[i].outcomes.push_back(report.packs[i].outcomes[j]);
      std::erase_if(part.packs, [](const reports::PackReport& p) { return p.outcomes.empty(); });
      part.title = fmt::format("{} — {}", report.title, value);
      for (auto& p : part.packs) {
        reports::Finalise(p);
        std::unordered_set<std::string> keys;
        for (const auto& o : p.outcomes) keys.insert(o.entity.key);
        std::erase_if(p.changes, [&](const reports::CategoryChange& c) { return !keys.count(c.key); });
      }
      VIGIL_RETURN_IF_ERROR(write(fmt::format("by-{}/{}.html", split_by, Slug(value)), reports::RenderHtml(part)));
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

std::string CountsLine(const reports::PackReport& pack) {
  std::string line = fmt::format("{}: {} {}s", pack.name, pack.outcomes.size(), pack.kind);
  for (const auto& c : pack.categories) line += fmt::format(", {} {}", pack.counts.at(c.id), c.label);
  return line;
}

}  // namespace

Result<RunOutcome> RunJob(const JobSpec& job, const RunOptions& options) {
  auto log = Logger("run");
  std::string as_of = options.as_of.value_or(job.as_of.value_or(Today().Iso()));
  if (!ParseIsoDate(as_of))
    return Fail(ErrorCode::kInvalidInput, fmt::format("--as-of \"{}\" is not a date like 2023-11-30", as_of));
  fs::path store_path = options.dry_run ? fs::path(":memory:") : options.store.value_or(job.store);
  fs::path output = options.output.value_or(job.output);

  std::optional<RunLock> lock;
  if (!options.dry_run) {
    VIGIL_RETURN_IF_ERROR(MakeFolder(store_path.parent_path()));
    VIGIL_ASSIGN_OR_RETURN(RunLock acquired, RunLock::Acquire(store_path));
    lock.emplace(std::move(acquired));
  }
  VIGIL_ASSIGN_OR_RETURN(store::Store store, store::Store::Open(store_path.string()));
  if (!options.dry_run) RecordEarlierCrash(store, store_path, job.name);

  plugin_host::PluginRegistry registry;
  registry.Discover(plugin_host::DefaultPluginFolders(job.plugin_folders));
  for (const auto& [name, plugin] : registry.plugins())
    log->info("plugin={} version={} abi={} file={}", name, plugin->version(), plugin->abi(),
              plugin->path().string());
  for (const auto& problem : registry.problems()) log->warn("plugin problem: {}", problem.message);

  // Rules load before any data moves, so a broken pack fails fast.
  std::vector<std::unique_ptr<rules::RulePack>> packs;
  nlohmann::json pack_info = nlohmann::json::array();
  if (!options.dry_run) {
    for (const auto& folder : job.rule_packs) {
      VIGIL_ASSIGN_OR_RETURN(auto pack, rules::RulePack::Load(folder));
      log->info("rules={} indicators={} sha256={}", pack->name(), pack->indicators().size(), pack->hash());
      pack_info.push_back({{"name", pack->name()}, {"folder", folder.string()}, {"sha256", pack->hash()}});
      packs.push_back(std::move(pack));
    }
  }

  std::vector<SourcePlan> plans;
  for (const auto& source : job.sources) plans.push_back(PlanSource(job, registry, source));
  std::string fingerprint = Fingerprint(as_of, packs, plans);
  if (!options.dry_run && !options.rerun) {
    VIGIL_ASSIGN_OR_RETURN(auto done, store.FindSucceededRun(job.name, as_of, fingerprint));
    if (done) {
      RunOutcome outcome;
      outcome.unchanged = true;
      outcome.run_id = *done;
      outcome.latest = output / "latest";
      log->info("run={} unchanged=true as_of={}", *done, as_of);
      return outcome;
    }
  }

  store::RunRecord record;
  record.fingerprint = fingerprint;
  record.job = job.name;
  record.as_of = as_of;
  record.started_at = NowIso();
  record.rule_packs = pack_info.dump();

  fs::path temp_folder;
  std::optional<store::Transaction> tx;
  auto fail = [&](const Error& error, const char* stage) -> Unexpected {
    tx.reset();  // roll back everything this run wrote
    if (!temp_folder.empty()) {
      std::error_code ec;
      fs::remove_all(temp_folder, ec);
    }
    if (!options.dry_run) {
      record.finished_at = NowIso();
      record.status = "failed";
      record.message = fmt::format("{}: {}", stage, error.message);
      Status recorded = store.RecordFailedRun(record);
      if (!recorded.ok()) log->error("cannot record the failed run: {}", recorded.error().message);
    }
    return Unexpected(error);
  };

  RunOutcome outcome;
  Run run(job, options, store, as_of, packs);
  {
    VIGIL_ASSIGN_OR_RETURN(store::Transaction begun, store::Transaction::Begin(store.db()));
    tx.emplace(std::move(begun));
    VIGIL_ASSIGN_OR_RETURN(record.id, store.BeginRun(job.name, as_of, record.started_at, fingerprint));
    Stopwatch stopwatch;
    RunTimings& timings = outcome.timings;
    Status status = run.Ingest(record.id, plans);
    if (!status.ok()) return fail(status.error(), "ingest");
    timings.ingest = stopwatch.Lap();
    log->debug("stage=ingest peak_memory_mb={}", PeakMemoryMb());
    for (const auto& s : run.report().sources) timings.observations += s.observations;
    record.inputs = run.inputs().dump();
    outcome.rejected_rows = run.report().rejection_count;
    if (options.dry_run) {
      for (const auto& r : run.report().rejections)
        outcome.rejections_text += fmt::format("{}:{}: source '{}' field '{}' value '{}': {}\n",
                                               r.file, r.line, r.source, r.field, r.value, r.reason);
      for (const auto& s : run.report().sources)
        outcome.summary += fmt::format("source {}: {} entities, {} observations, {} rejected{}\n",
                                       s.name, s.entities, s.observations, s.rejections,
                                       s.skipped ? " (skipped: " + s.skip_reason + ")" : "");
      return outcome;  // the in-memory store vanishes; nothing was written
    }
    status = run.Evaluate();
    if (!status.ok()) return fail(status.error(), "evaluate");
    timings.evaluate = stopwatch.Lap();
    timings.evaluate_rules = run.rules_seconds();
    log->debug("stage=evaluate peak_memory_mb={}", PeakMemoryMb());
    for (const auto& pack : run.report().packs)
      for (const auto& o : pack.outcomes) timings.evaluations += o.indicators.size();
    status = run.CompareWithPrevious(record.id);
    if (!status.ok()) return fail(status.error(), "record");

    reports::RunReport& report = run.report();
    report.job = job.name;
    report.title = job.title;
    report.run_id = record.id;
    report.as_of = as_of;
    report.started_at = record.started_at;
    report.vigil_version = VIGIL_VERSION;
    report.lists = job.lists;
    report.split_by = job.split_by;

    // A run killed while writing its reports leaves a hidden partial
    // folder; we hold the store's lock, so any such folder is stale.
    std::error_code list_error;
    for (fs::directory_iterator it(output, list_error), end; !list_error && it != end; it.increment(list_error)) {
      std::string name = it->path().filename().string();
      if (name.size() > 9 && name.rfind(".run-", 0) == 0 && name.ends_with(".partial")) {
        std::error_code ec;
        fs::remove_all(it->path(), ec);
      }
    }
    std::string folder_name = fmt::format("run-{}-{}", record.id, Timestamp("%Y%m%dT%H%M%S"));
    temp_folder = output / ("." + folder_name + ".partial");
    status = MakeFolder(temp_folder);
    if (!status.ok()) return fail(status.error(), "report");
    // The results go into the store while the reports are rendered and
    // written on another thread: neither changes what the other reads.
    auto rendering = std::async(std::launch::async, [&] {
      return WriteReports(report, job.formats, job.split_by, temp_folder);
    });
    status = run.WriteResults(record.id);
    timings.record = stopwatch.Lap();
    auto outputs = rendering.get();
    if (!status.ok()) return fail(status.error(), "record");
    if (!outputs) return fail(outputs.error(), "report");
    timings.reports = stopwatch.Lap();
    log->debug("stage=reports peak_memory_mb={}", PeakMemoryMb());

    record.finished_at = NowIso();
    record.status = "succeeded";
    record.outputs = outputs->dump();
    for (const auto& pack : report.packs) {
      outcome.entities_assessed += pack.outcomes.size();
      outcome.summary += (outcome.summary.empty() ? "" : "\n") + CountsLine(pack);
    }
    record.message = outcome.summary;
    status = store.FinishRun(record);
    if (!status.ok()) return fail(status.error(), "record");
    status = tx->Commit();
    if (!status.ok()) return fail(status.error(), "commit");
    timings.commit = stopwatch.Lap();

    outcome.run_id = record.id;
    if (auto stored = store.GetRun(record.id); stored && *stored) outcome.attempt = (*stored)->attempt;
    outcome.report_folder = output / folder_name;
    std::error_code ec;
    fs::rename(temp_folder, outcome.report_folder, ec);
    if (ec)
      return Fail(ErrorCode::kIo, fmt::format("run {} is recorded but its reports could not be moved "
                                              "from {} to {}: {}", record.id, temp_folder.string(),
                                              outcome.report_folder.string(), ec.message()));
    temp_folder.clear();
    VIGIL_RETURN_IF_ERROR(UpdateLatest(output, outcome.report_folder));
    outcome.latest = output / "latest";
  }
  const RunTimings& t = outcome.timings;
  log->info("run={} ingest={:.2f}s observations={} evaluate={:.2f}s (rules {:.2f}s) evaluations={} "
            "record={:.2f}s reports={:.2f}s commit={:.2f}s", outcome.run_id, t.ingest, t.observations,
            t.evaluate, t.evaluate_rules, t.evaluations, t.record, t.reports, t.commit);
  log->info("run={} status=succeeded reports={}", outcome.run_id, outcome.report_folder.string());
  return outcome;
}

}  // namespace vigil::jobs
