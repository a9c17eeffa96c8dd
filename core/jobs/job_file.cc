#include "jobs/job_file.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "base/dates.h"
#include "base/files.h"
#include "base/text.h"

namespace vigil::jobs {
namespace fs = std::filesystem;

bool IsSafeName(std::string_view name) {
  if (name.empty() || name.size() > 64 || !std::isalnum(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '_' || c == '.' || c == '-';
  });
}

namespace {

const std::set<std::string> kFormats = {"html", "csv", "json", "markdown"};

// A job file is a few kilobytes; this bound only stops a wrong path (a data
// file, a device) from being read whole.
constexpr std::uintmax_t kMaxJobFileBytes = 1u << 20;

// An attribute name for split_by: it becomes part of a folder name.
bool IsAttributeName(std::string_view name) {
  return !name.empty() && name.size() <= 64 && name[0] != '.' && name[0] != '-' &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
         }) && name.find("..") == std::string_view::npos;
}

class JobParser {
 public:
  explicit JobParser(fs::path file) : file_(std::move(file)) {}

  std::string Where(const toml::node* node) const {
    if (node != nullptr && node->source().begin.line > 0)
      return fmt::format("{}:{}", file_.string(), node->source().begin.line);
    return file_.string();
  }

  Unexpected Error(const toml::node* node, const std::string& message) const {
    return Fail(ErrorCode::kInvalidInput, fmt::format("{}: {}", Where(node), message));
  }

  Status CheckKeys(const toml::table& table, const std::set<std::string>& allowed,
                   const std::string& what) const {
    for (const auto& [key, node] : table) {
      if (!allowed.count(std::string(key.str()))) {
        std::string known;
        for (const auto& k : allowed) known += (known.empty() ? "" : ", ") + k;
        return Error(&node, fmt::format("unknown key '{}' in {} (known: {})", key.str(), what, known));
      }
    }
    return Status::Ok();
  }

  Result<std::optional<std::string>> OptionalString(const toml::table& table, const char* key,
                                                    const std::string& what) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::optional<std::string>();
    if (!node->is_string())
      return Error(node, fmt::format("{} '{}' must be a string", what, key));
    return std::optional<std::string>(node->as_string()->get());
  }

  Result<std::string> RequiredString(const toml::table& table, const char* key,
                                     const std::string& what) const {
    VIGIL_ASSIGN_OR_RETURN(auto value, OptionalString(table, key, what));
    if (!value || value->empty())
      return Error(&table, fmt::format("{} needs '{}' (a string)", what, key));
    return *value;
  }

  // The index of the value among `choices` (0, the default, when absent).
  Result<std::size_t> Choice(const toml::table& table, const char* key,
                             const std::vector<std::string>& choices, const std::string& what) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::size_t{0};
    const std::string* value = node->is_string() ? &node->as_string()->get() : nullptr;
    for (std::size_t i = 0; value != nullptr && i < choices.size(); ++i)
      if (*value == choices[i]) return i;
    std::string allowed;
    for (const auto& c : choices) allowed += (allowed.empty() ? "\"" : " or \"") + c + "\"";
    return Error(node, fmt::format("{}: {} must be {}", what, key, allowed));
  }

  Result<std::vector<std::string>> StringList(const toml::table& table, const char* key,
                                              const std::string& what) const {
    std::vector<std::string> items;
    const toml::node* node = table.get(key);
    if (node == nullptr) return items;
    const toml::array* array = node->as_array();
    if (array == nullptr)
      return Error(node, fmt::format("{} '{}' must be a list of strings", what, key));
    for (const auto& item : *array) {
      if (!item.is_string())
        return Error(&item, fmt::format("{} '{}' must be a list of strings", what, key));
      items.push_back(item.as_string()->get());
    }
    return items;
  }

  fs::path Resolve(const std::string& path) const {
    fs::path p(path);
    return WithoutTrailingSlash(p.is_absolute() ? p : file_.parent_path() / p);
  }

  Result<plugin_host::SettingInput> Setting(const std::string& name, const toml::node& node,
                                            const std::string& source) const {
    plugin_host::SettingInput input;
    input.name = name;
    if (const auto* s = node.as_string()) {
      input.items.push_back(s->get());
    } else if (const auto* i = node.as_integer()) {
      input.items.push_back(std::to_string(i->get()));
    } else if (const auto* b = node.as_boolean()) {
      input.items.push_back(b->get() ? "true" : "false");
    } else if (const auto* f = node.as_floating_point()) {
      input.items.push_back(fmt::format("{}", f->get()));
    } else if (const auto* a = node.as_array()) {
      input.is_list = true;
      for (const auto& item : *a) {
        if (!item.is_string())
          return Error(&item, fmt::format("source '{}' setting '{}': list items must be strings",
                                          source, name));
        input.items.push_back(item.as_string()->get());
      }
    } else {
      return Error(&node, fmt::format("source '{}' setting '{}': expected a string, number, "
                                      "boolean or list of strings", source, name));
    }
    return input;
  }

  Result<SourceSpec> Source(const toml::table& table, std::size_t index) const {
    std::string what = fmt::format("[[source]] #{}", index + 1);
    VIGIL_RETURN_IF_ERROR(CheckKeys(table, {"name", "plugin", "on_reject", "on_error", "on_loss", "settings"}, what));
    SourceSpec spec;
    spec.line = static_cast<int>(table.source().begin.line);
    VIGIL_ASSIGN_OR_RETURN(spec.name, RequiredString(table, "name", what));
    if (!IsSafeName(spec.name))
      return Error(table.get("name"), fmt::format("{}: name \"{}\" must be 1 to 64 letters, digits, spaces, "
                                                  "'_', '.' or '-', starting with a letter or digit",
                                                  what, Printable(Truncate(spec.name, 80))));
    what = fmt::format("source '{}'", spec.name);
    VIGIL_ASSIGN_OR_RETURN(spec.plugin, RequiredString(table, "plugin", what));
    VIGIL_ASSIGN_OR_RETURN(std::size_t on_reject, Choice(table, "on_reject", {"report", "fail"}, what));
    spec.on_reject = on_reject == 1 ? OnReject::kFail : OnReject::kReport;
    VIGIL_ASSIGN_OR_RETURN(std::size_t on_error, Choice(table, "on_error", {"fail", "skip"}, what));
    spec.on_error = on_error == 1 ? OnError::kSkip : OnError::kFail;
    VIGIL_ASSIGN_OR_RETURN(std::size_t on_loss, Choice(table, "on_loss", {"fail", "warn"}, what));
    spec.on_loss = on_loss == 1 ? OnLoss::kWarn : OnLoss::kFail;
    if (const toml::node* settings = table.get("settings")) {
      const toml::table* t = settings->as_table();
      if (t == nullptr) return Error(settings, fmt::format("{}: settings must be a table", what));
      for (const auto& [key, node] : *t) {
        VIGIL_ASSIGN_OR_RETURN(auto input, Setting(std::string(key.str()), node, spec.name));
        spec.settings.push_back(std::move(input));
      }
    }
    return spec;
  }

  // [limits]: each a whole number within its range (docs/reliability.md).
  Status Limits(const toml::table& root, JobSpec& job) const {
    const toml::node* node = root.get("limits");
    if (node == nullptr) return Status::Ok();
    const toml::table* t = node->as_table();
    if (t == nullptr) return Error(node, "[limits] must be a table");
    VIGIL_RETURN_IF_ERROR(CheckKeys(*t, {"memory_limit_mb", "instruction_limit", "call_seconds", "pack_seconds"},
                                    "[limits]"));
    struct Bound {
      const char* key;
      std::int64_t min, max;
    };
    for (Bound b : {Bound{"memory_limit_mb", 16, 65536}, Bound{"instruction_limit", 1000, 100'000'000'000},
                    Bound{"call_seconds", 1, 3600}, Bound{"pack_seconds", 1, 86400}}) {
      const toml::node* value = t->get(b.key);
      if (value == nullptr) continue;
      if (!value->is_integer() || value->as_integer()->get() < b.min || value->as_integer()->get() > b.max)
        return Error(value, fmt::format("[limits] {} must be a whole number from {} to {}", b.key, b.min, b.max));
      std::int64_t v = value->as_integer()->get();
      std::string key = b.key;
      if (key == "memory_limit_mb") job.limits.max_memory_bytes = static_cast<std::size_t>(v) << 20;
      else if (key == "instruction_limit") job.limits.max_instructions = static_cast<std::uint64_t>(v);
      else if (key == "call_seconds") job.limits.seconds = static_cast<int>(v);
      else job.pack_seconds = static_cast<int>(v);
    }
    return Status::Ok();
  }

  Result<JobSpec> Parse(const toml::table& root) const {
    JobSpec job;
    job.file = file_;
    job.folder = file_.parent_path();
    VIGIL_RETURN_IF_ERROR(CheckKeys(root, {"name", "title", "as_of", "store", "data_folders",
                                           "plugin_folders", "output", "rules", "source", "schedule",
                                           "retries", "retry_delay_seconds", "on_failure", "limits"},
                                    "the job"));
    VIGIL_ASSIGN_OR_RETURN(auto schedule, OptionalString(root, "schedule", "the job"));
    job.schedule = schedule.value_or("");
    VIGIL_ASSIGN_OR_RETURN(auto on_failure, OptionalString(root, "on_failure", "the job"));
    job.on_failure = on_failure.value_or("");
    // Bounded, so a typo cannot make a scheduler retry for ever (or overflow).
    for (auto [key, limit] : {std::pair<const char*, std::int64_t>{"retries", 100},
                              {"retry_delay_seconds", 86400}}) {
      const toml::node* node = root.get(key);
      if (node == nullptr) continue;
      if (!node->is_integer() || node->as_integer()->get() < 0 || node->as_integer()->get() > limit)
        return Error(node, fmt::format("{} must be a whole number from 0 to {}", key, limit));
      if (std::string(key) == "retries") job.retries = static_cast<int>(node->as_integer()->get());
      else job.retry_delay_seconds = static_cast<long>(node->as_integer()->get());
    }
    VIGIL_ASSIGN_OR_RETURN(job.name, RequiredString(root, "name", "the job"));
    // The name reaches file names (the default store), logs and terminals.
    if (!IsSafeName(job.name))
      return Error(root.get("name"), fmt::format("name \"{}\" must be 1 to 64 letters, digits, spaces, '_', "
                                                 "'.' or '-', starting with a letter or digit",
                                                 Printable(Truncate(job.name, 80))));
    VIGIL_ASSIGN_OR_RETURN(auto title, OptionalString(root, "title", "the job"));
    job.title = title.value_or(job.name);
    if (job.title.size() > 200 || job.title != CleanText(job.title, 200))
      return Error(root.get("title"), "title must be one line of at most 200 bytes, without control characters");
    VIGIL_RETURN_IF_ERROR(Limits(root, job));
    VIGIL_ASSIGN_OR_RETURN(job.as_of, OptionalString(root, "as_of", "the job"));
    if (job.as_of && !ParseIsoDate(*job.as_of))
      return Error(root.get("as_of"), fmt::format("as_of \"{}\" is not a date like 2023-11-30", *job.as_of));
    VIGIL_ASSIGN_OR_RETURN(auto store, OptionalString(root, "store", "the job"));
    job.store = Resolve(store.value_or(job.name + ".sqlite"));
    VIGIL_ASSIGN_OR_RETURN(auto data_folders, StringList(root, "data_folders", "the job"));
    for (const auto& f : data_folders) job.data_folders.push_back(Resolve(f));
    if (job.data_folders.empty()) job.data_folders.push_back(job.folder);
    VIGIL_ASSIGN_OR_RETURN(auto plugin_folders, StringList(root, "plugin_folders", "the job"));
    for (const auto& f : plugin_folders) job.plugin_folders.push_back(Resolve(f));

    job.output = Resolve("reports");
    job.formats = {"html", "csv", "json", "markdown"};
    if (const toml::node* output = root.get("output")) {
      const toml::table* t = output->as_table();
      if (t == nullptr) return Error(output, "[output] must be a table");
      VIGIL_RETURN_IF_ERROR(CheckKeys(*t, {"folder", "formats", "split_by", "lists"}, "[output]"));
      VIGIL_ASSIGN_OR_RETURN(auto split_by, OptionalString(*t, "split_by", "[output]"));
      job.split_by = split_by.value_or("");
      if (!job.split_by.empty() && !IsAttributeName(job.split_by))
        return Error(t->get("split_by"), fmt::format("[output] split_by = \"{}\" must name an attribute: letters, "
                                                     "digits, '_', '.' or '-' (it becomes the folder by-<name>)",
                                                     Printable(Truncate(job.split_by, 80))));
      VIGIL_ASSIGN_OR_RETURN(auto lists, OptionalString(*t, "lists", "[output]"));
      job.lists = lists.value_or("auto");
      if (job.lists != "auto" && job.lists != "all" && job.lists != "none")
        return Error(t->get("lists"), fmt::format("[output] lists = \"{}\" is not one of auto, all, none", job.lists));
      VIGIL_ASSIGN_OR_RETURN(auto folder, OptionalString(*t, "folder", "[output]"));
      if (folder) job.output = Resolve(*folder);
      if (t->get("formats")) {
        VIGIL_ASSIGN_OR_RETURN(job.formats, StringList(*t, "formats", "[output]"));
        for (const auto& f : job.formats)
          if (!kFormats.count(f))
            return Error(t->get("formats"), fmt::format("[output] format \"{}\" is not one of html, csv, json, markdown", f));
      }
    }

    // No [[rules]] is allowed here (`vigil sources check` needs none); a run
    // refuses such a job (RunJob).
    const toml::node* rules = root.get("rules");
    const toml::array* rule_tables = rules ? rules->as_array() : nullptr;
    if (rules != nullptr && rule_tables == nullptr) return Error(rules, "[[rules]] must be tables");
    for (std::size_t i = 0; rule_tables != nullptr && i < rule_tables->size(); ++i) {
      const toml::node& node = (*rule_tables)[i];
      const toml::table* t = node.as_table();
      if (t == nullptr) return Error(&node, "[[rules]] must be tables");
      VIGIL_RETURN_IF_ERROR(CheckKeys(*t, {"pack"}, "[[rules]]"));
      VIGIL_ASSIGN_OR_RETURN(auto pack, RequiredString(*t, "pack", "[[rules]]"));
      job.rule_packs.push_back(Resolve(pack));
    }

    const toml::node* sources = root.get("source");
    const toml::array* source_tables = sources ? sources->as_array() : nullptr;
    if (source_tables == nullptr || source_tables->empty())
      return Error(sources, "the job needs at least one [[source]] table");
    std::set<std::string> names;
    for (std::size_t i = 0; i < source_tables->size(); ++i) {
      const toml::table* t = (*source_tables)[i].as_table();
      if (t == nullptr) return Error(&(*source_tables)[i], "[[source]] must be tables");
      VIGIL_ASSIGN_OR_RETURN(SourceSpec spec, Source(*t, i));
      if (!names.insert(spec.name).second)
        return Error(t, fmt::format("source name '{}' is used twice", spec.name));
      job.sources.push_back(std::move(spec));
    }
    return job;
  }

 private:
  fs::path file_;
};

}  // namespace

Result<JobSpec> LoadJob(const fs::path& given) {
  std::error_code ec;
  fs::path file = fs::absolute(given, ec).lexically_normal();
  if (!fs::is_regular_file(file, ec))
    return Fail(ErrorCode::kNotFound, fmt::format("job file {}: no such file", given.string()));
  auto text = ReadRegularFile(file, kMaxJobFileBytes);
  if (!text) return Fail(ErrorCode::kInvalidInput, text.error().message);
  toml::table root;
  try {
    root = toml::parse(*text, file.string());
  } catch (const toml::parse_error& error) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}:{}:{}: {}", file.string(), error.source().begin.line,
                            error.source().begin.column, error.description()));
  }
  return JobParser(file).Parse(root);
}

}  // namespace vigil::jobs
