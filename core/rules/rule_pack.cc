#include "rules/rule_pack.h"

#include <algorithm>
#include <regex>

#include <fmt/format.h>

#include "base/did_you_mean.h"
#include "base/files.h"
#include "base/text.h"
#include "rules/lua_messages.h"
#include "rules/lua_scan.h"

namespace vigil::rules {
namespace fs = std::filesystem;

std::string DisplayPath(const fs::path& path, const fs::path& pack_folder) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec).lexically_normal();
  fs::path relative = absolute.lexically_relative(fs::current_path(ec));
  if (!relative.empty() && *relative.begin() != "..") return relative.string();
  // Outside the current folder: "rules/schools/indicators/x.lua" says
  // enough, and Lua shortens long chunk names from the front anyway.
  if (!pack_folder.empty()) {
    fs::path in_pack = absolute.lexically_relative(pack_folder.parent_path().parent_path());
    if (!in_pack.empty() && *in_pack.begin() != "..") return in_pack.string();
  }
  return absolute.string();
}

namespace {

// The most a pack may hold: far above any pack an officer writes, low enough
// that a stray data file in indicators/ cannot fill memory.
constexpr std::uintmax_t kMaxFileBytes = 4u << 20;
constexpr std::size_t kMaxFiles = 1000;

std::string CategoryList(const RulePack& pack) {
  std::string list;
  for (const auto& c : pack.categories()) list += (list.empty() ? "" : ", ") + c.id;
  return list;
}

// A load error as the officer should read it: one line (file:line: message;
// the traceback is noise here), a syntax error explained in plain words.
std::string LoadErrorMessage(const Error& error, const std::string& text, const std::string& shown) {
  std::string first = error.message.substr(0, error.message.find("\nstack traceback:"));
  return error.code == ErrorCode::kInvalidInput ? ExplainSyntaxError(first, text, shown) : first;
}

// Text the pack declared: the prelude checked it (length, UTF-8, control
// characters); this bounds and cleans it again so nothing else can slip by.
std::string StringField(lua_State* L, int table, const char* field, std::size_t max_bytes = 4000) {
  lua_getfield(L, table, field);
  std::size_t length = 0;
  const char* text = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &length) : nullptr;
  std::string value = text ? CleanText(std::string_view(text, length), max_bytes) : "";
  lua_pop(L, 1);
  return value;
}

std::optional<double> NumberField(lua_State* L, int table, const char* field) {
  lua_getfield(L, table, field);
  std::optional<double> value;
  if (lua_type(L, -1) == LUA_TNUMBER) value = lua_tonumber(L, -1);
  lua_pop(L, 1);
  return value;
}

// A list of strings in field `field` of the table at `table`.
std::vector<std::string> StringList(lua_State* L, int table, const char* field) {
  std::vector<std::string> out;
  lua_getfield(L, table, field);
  for (lua_Integer i = 1, n = lua_istable(L, -1) ? luaL_len(L, -1) : 0; i <= n; ++i) {
    lua_rawgeti(L, -1, i);
    if (lua_type(L, -1) == LUA_TSTRING) out.emplace_back(lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return out;
}

// pack.charts as the prelude checked it (see read_charts in prelude.lua).
std::vector<Chart> ReadCharts(lua_State* L, int pack) {
  std::vector<Chart> charts;
  lua_getfield(L, pack, "charts");
  for (lua_Integer i = 1, n = lua_istable(L, -1) ? luaL_len(L, -1) : 0; i <= n; ++i) {
    lua_rawgeti(L, -1, i);
    int c = lua_gettop(L);
    Chart chart{StringField(L, c, "title"), StringField(L, c, "measure"), StringField(L, c, "unit"),
                StringList(L, c, "compare"), {}};
    lua_getfield(L, c, "lines");
    for (lua_Integer j = 1, m = lua_istable(L, -1) ? luaL_len(L, -1) : 0; j <= m; ++j) {
      lua_rawgeti(L, -1, j);
      int l = lua_gettop(L);
      chart.lines.push_back({StringField(L, l, "label"), StringField(L, l, "threshold"), NumberField(L, l, "value"),
                             StringField(L, l, "attr"), NumberField(L, l, "scale").value_or(1),
                             StringField(L, l, "scale_threshold")});
      lua_pop(L, 1);
    }
    lua_pop(L, 2);
    charts.push_back(std::move(chart));
  }
  lua_pop(L, 1);
  return charts;
}

// A pack file must be UTF-8 (an officer's editor saving in Windows "ANSI"
// would otherwise put bytes in reasons that no report can show): the error
// names the file, line and column of the first bad byte.
Status CheckUtf8(const std::string& text, const std::string& shown) {
  std::size_t bad = FirstInvalidUtf8(text);
  if (bad == std::string::npos) return Status::Ok();
  std::size_t line_start = text.rfind('\n', bad == 0 ? 0 : bad - 1);
  line_start = line_start == std::string::npos || bad == 0 ? 0 : line_start + 1;
  auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n');
  return Fail(ErrorCode::kInvalidInput,
              fmt::format("{}:{}:{}: byte 0x{:02X} is not UTF-8: save the file as UTF-8 (an editor's "
                          "\"ANSI\" or Windows-1252 encoding writes £ as 0xA3, for instance)",
                          shown, line, bad - line_start + 1, static_cast<unsigned char>(text[bad])));
}

// A key given twice in one table (a threshold appended at the end of
// thresholds.lua while an older line still sets it): Lua keeps the last one
// without a word, so which value counts would depend on where a line sits.
Status CheckRepeatedKeys(const std::string& text, const std::string& shown) {
  std::string message;
  for (const auto& r : RepeatedKeys(TokenizeLua(text)))
    message += fmt::format("{}{}:{}: '{}' is set twice (lines {} and {}): Lua would keep the second value and "
                           "ignore the first without a word; delete the line that is wrong",
                           message.empty() ? "" : "\n", shown, r.line, r.name, r.first_line, r.line);
  if (message.empty()) return Status::Ok();
  return Fail(ErrorCode::kInvalidInput, message);
}

}  // namespace

// Runs protected (under lua_pcall), so a Lua error here cannot abort.
int RulePack::ReadRegistry(lua_State* L) {
  auto* pack = static_cast<RulePack*>(lua_touserdata(L, 1));
  Sandbox& sandbox = pack->sandbox();
  sandbox.PushRegistry();
  int registry = lua_gettop(L);

  lua_getfield(L, registry, "pack");
  if (lua_istable(L, -1)) {
    pack->name_ = StringField(L, -1, "name");
    pack->title_ = StringField(L, -1, "title");
    pack->kind_ = StringField(L, -1, "kind");
    lua_getfield(L, -1, "applies");
    if (lua_isfunction(L, -1)) pack->applies_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
    else lua_pop(L, 1);
    pack->group_by_ = StringField(L, -1, "group_by");
    pack->noun_ = StringField(L, -1, "noun");
    pack->nouns_ = StringField(L, -1, "nouns");
    pack->key_title_ = StringField(L, -1, "key_title");
    pack->charts_ = ReadCharts(L, lua_gettop(L));
    lua_getfield(L, -1, "timeline");
    if (lua_istable(L, -1))
      pack->timeline_ = Timeline{StringField(L, -1, "title"), StringField(L, -1, "measure"),
                                 StringList(L, lua_gettop(L), "values")};
    lua_pop(L, 1);
    lua_getfield(L, -1, "heatmap");
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "max");
      int max = static_cast<int>(lua_tointeger(L, -1));
      lua_pop(L, 1);
      pack->heatmap_ = Heatmap{StringField(L, -1, "x"), StringField(L, -1, "y"), max > 0 ? max : 5};
    }
    lua_pop(L, 1);
    lua_getfield(L, -1, "summary");
    for (lua_Integer i = 1, n = lua_istable(L, -1) ? luaL_len(L, -1) : 0; i <= n; ++i) {
      lua_rawgeti(L, -1, i);
      pack->summary_.push_back({StringField(L, -1, "title"), StringField(L, -1, "column"),
                                StringField(L, -1, "aggregate"), StringField(L, -1, "equals"),
                                StringField(L, -1, "unit"), StringField(L, -1, "starts_with"),
                                StringField(L, -1, "ends_with")});
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_getfield(L, -1, "instruction_limit");
    if (lua_isinteger(L, -1) && lua_tointeger(L, -1) > 0) pack->instruction_limit_ = static_cast<std::uint64_t>(lua_tointeger(L, -1));
    lua_pop(L, 1);
    lua_getfield(L, -1, "memory_limit_mb");
    if (lua_isinteger(L, -1) && lua_tointeger(L, -1) > 0) pack->memory_limit_mb_ = static_cast<std::size_t>(lua_tointeger(L, -1));
    lua_pop(L, 1);
    for (auto [field, list] : {std::pair{"measures", &pack->declared_measures_},
                               std::pair{"optional_measures", &pack->optional_measures_}}) {
      lua_getfield(L, -1, field);
      for (lua_Integer i = 1, n = lua_istable(L, -1) ? luaL_len(L, -1) : 0; i <= n; ++i) {
        if (lua_rawgeti(L, -1, i) == LUA_TSTRING) list->emplace_back(lua_tostring(L, -1));
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
    lua_getfield(L, -1, "columns");
    for (lua_Integer i = 1, n = lua_istable(L, -1) ? luaL_len(L, -1) : 0; i <= n; ++i) {
      lua_rawgeti(L, -1, i);
      lua_getfield(L, -1, "print");
      bool print = lua_isnil(L, -1) || lua_toboolean(L, -1);
      lua_getfield(L, -2, "wide");
      bool wide = lua_toboolean(L, -1);
      lua_pop(L, 2);
      pack->columns_.push_back({StringField(L, -1, "title"), StringField(L, -1, "kind"),
                                StringField(L, -1, "source"), print, wide});
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);

  lua_getfield(L, registry, "categories");
  if (lua_istable(L, -1)) {
    pack->categories_.clear();
    lua_Integer n = luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n; ++i) {
      lua_rawgeti(L, -1, i);
      Category c;
      c.id = StringField(L, -1, "id");
      c.label = StringField(L, -1, "label");
      c.description = StringField(L, -1, "description");
      lua_getfield(L, -1, "min_score");
      c.min_score = lua_tonumber(L, -1);
      lua_pop(L, 2);
      pack->categories_.push_back(std::move(c));
    }
  }
  lua_pop(L, 1);

  lua_getfield(L, registry, "thresholds");
  if (lua_istable(L, -1)) {
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      if (lua_type(L, -2) == LUA_TSTRING) {
        Threshold t;
        t.type = luaL_typename(L, -1);
        if (lua_type(L, -1) == LUA_TNUMBER) t.number = lua_tonumber(L, -1);
        if (lua_type(L, -1) == LUA_TSTRING) t.text = lua_tostring(L, -1);
        if (lua_type(L, -1) == LUA_TBOOLEAN) t.text = lua_toboolean(L, -1) ? "true" : "false";
        pack->thresholds_[lua_tostring(L, -2)] = std::move(t);
      }
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);

  lua_getfield(L, registry, "overrides");
  pack->overrides_.clear();
  for (lua_Integer i = 1, n = luaL_len(L, -1); i <= n; ++i) {
    lua_rawgeti(L, -1, i);
    Override o;
    o.key = StringField(L, -1, "key");
    o.category = StringField(L, -1, "category");
    o.reason = StringField(L, -1, "reason");
    o.by = StringField(L, -1, "by");
    o.expires = StringField(L, -1, "expires");
    o.file = StringField(L, -1, "file");
    lua_getfield(L, -1, "line");
    o.line = static_cast<int>(lua_tointeger(L, -1));
    lua_pop(L, 2);
    pack->overrides_.push_back(std::move(o));
  }
  lua_pop(L, 1);

  lua_getfield(L, registry, "indicators");
  lua_Integer n = luaL_len(L, -1);
  pack->indicators_.clear();
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_rawgeti(L, -1, i);
    Indicator ind;
    ind.id = StringField(L, -1, "id");
    ind.title = StringField(L, -1, "title");
    ind.file = StringField(L, -1, "file");
    lua_getfield(L, -1, "line");
    ind.line = static_cast<int>(lua_tointeger(L, -1));
    lua_pop(L, 1);
    lua_getfield(L, -1, "applies");
    ind.applies_ref = lua_isfunction(L, -1) ? luaL_ref(L, LUA_REGISTRYINDEX) : (lua_pop(L, 1), LUA_NOREF);
    lua_getfield(L, -1, "evaluate");
    ind.evaluate_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);
    pack->indicators_.push_back(std::move(ind));
  }
  lua_pop(L, 2);
  return 0;
}

Result<std::unique_ptr<RulePack>> RulePack::Load(const fs::path& given, const Limits& limits) {
  std::error_code ec;
  fs::path folder = WithoutTrailingSlash(fs::absolute(given, ec));
  if (!fs::is_directory(folder, ec))
    return Fail(ErrorCode::kNotFound, fmt::format("rule pack {}: no such folder", DisplayPath(folder)));

  std::vector<std::string> files;
  for (const char* required : {"pack.lua", "thresholds.lua", "categories.lua"}) {
    if (!fs::is_regular_file(folder / required, ec))
      return Fail(ErrorCode::kInvalidInput,
                  fmt::format("rule pack {}: missing {} (a pack needs pack.lua, thresholds.lua, "
                              "categories.lua and indicators/*.lua)",
                              DisplayPath(folder), required));
    files.push_back((folder / required).string());
  }
  if (fs::is_regular_file(folder / "overrides.lua", ec)) files.push_back((folder / "overrides.lua").string());
  auto lua_files_in = [&](const fs::path& sub) {
    std::vector<std::string> found;
    std::error_code walk_error;
    for (fs::recursive_directory_iterator it(sub, walk_error), end; !walk_error && it != end;
         it.increment(walk_error)) {
      if (it->is_regular_file() && it->path().extension() == ".lua") found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());
    return found;
  };
  // lib/ before indicators/: what a lib file defines is visible to the files after it.
  std::vector<std::string> lib_files = lua_files_in(folder / "lib");
  files.insert(files.end(), lib_files.begin(), lib_files.end());
  std::vector<std::string> indicator_files = lua_files_in(folder / "indicators");
  if (indicator_files.empty())
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("rule pack {}: no indicators/*.lua files", DisplayPath(folder)));
  files.insert(files.end(), indicator_files.begin(), indicator_files.end());

  if (files.size() > kMaxFiles)
    return Fail(ErrorCode::kInvalidInput, fmt::format("rule pack {}: {} files; a pack has at most {}",
                                                      DisplayPath(folder), files.size(), kMaxFiles));
  std::vector<PackSource> sources;
  for (const auto& file : files) {
    // A file (or a link) reaching outside the pack is refused, checked on
    // the file as opened: the pack's files are stored with every run and
    // shown in errors.
    auto text = ReadRegularFile(file, kMaxFileBytes, folder);
    if (!text) return Fail(ErrorCode::kInvalidInput, text.error().message);
    sources.push_back({fs::path(file).lexically_relative(folder).string(), std::move(text).value()});
  }
  return Build(folder, std::move(sources), limits);
}

Result<std::unique_ptr<RulePack>> RulePack::LoadFromSources(const fs::path& folder, std::vector<PackSource> sources,
                                                            const Limits& limits) {
  for (const char* required : {"pack.lua", "thresholds.lua", "categories.lua"}) {
    bool found = std::any_of(sources.begin(), sources.end(), [&](const PackSource& s) { return s.path == required; });
    if (!found)
      return Fail(ErrorCode::kInvalidInput,
                  fmt::format("rule pack {}: the stored copy has no {}", DisplayPath(folder), required));
  }
  return Build(WithoutTrailingSlash(fs::absolute(folder)), std::move(sources), limits);
}

Result<std::unique_ptr<RulePack>> RulePack::Build(const fs::path& folder, std::vector<PackSource> sources,
                                                  const Limits& limits) {
  std::unique_ptr<RulePack> pack(new RulePack());
  pack->folder_ = folder;
  for (const auto& source : sources) pack->files_.push_back((folder / source.path).string());
  pack->sources_ = std::move(sources);
  VIGIL_ASSIGN_OR_RETURN(pack->sandbox_, Sandbox::Create(limits));
  Sandbox& sandbox = *pack->sandbox_;
  lua_State* L = sandbox.L();
  Sha256 hash;
  for (const auto& [relative, text] : pack->sources_) {
    fs::path file = folder / relative;
    hash.Update(relative);
    hash.Update(std::string_view("\0", 1));
    hash.Update(text);
    hash.Update(std::string_view("\0", 1));
    std::string shown = DisplayPath(file, folder);
    VIGIL_RETURN_IF_ERROR(CheckUtf8(text, shown));
    Status loaded = sandbox.LoadFile(text, shown, relative.rfind("lib/", 0) == 0);
    if (!loaded.ok()) return Fail(ErrorCode::kInvalidInput, LoadErrorMessage(loaded.error(), text, shown));
    VIGIL_RETURN_IF_ERROR(CheckRepeatedKeys(text, shown));
    if (relative == "thresholds.lua") {
      if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        return Fail(ErrorCode::kInvalidInput,
                    fmt::format("{}: must end with 'return {{ name = value, ... }}'", shown));
      }
      VIGIL_RETURN_IF_ERROR(sandbox.CallApi("set_thresholds", 1, 0));
    } else {
      lua_pop(L, 1);
    }
  }
  pack->hash_ = hash.HexDigest();
  VIGIL_RETURN_IF_ERROR(sandbox.CallApi("close_declarations", 0, 0));

  lua_pushcfunction(L, &Sandbox::Guarded<&RulePack::ReadRegistry>);
  lua_pushlightuserdata(L, pack.get());
  VIGIL_RETURN_IF_ERROR(sandbox.Call(1, 0));

  VIGIL_RETURN_IF_ERROR(pack->CheckThresholdValues());
  pack->PlaceOverrideEntries();
  std::string pack_file = DisplayPath(folder / "pack.lua");
  if (pack->name_.empty())
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}: must call pack {{ name = \"...\", kind = \"...\" }}", pack_file));
  // A pack's entity pages go in "<name>/" beside the "by-<attribute>/" pages.
  if (pack->name_.rfind("by-", 0) == 0)
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}: pack name '{}' is taken by the report's pages per value (\"by-<attribute>\"): "
                            "choose a name that does not start with \"by-\"",
                            pack_file, pack->name_));
  if (pack->categories_.empty())
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}: must call categories {{ ... }}",
                            DisplayPath(folder / "categories.lua")));
  VIGIL_RETURN_IF_ERROR(pack->CheckCategoryOrder());
  std::stable_sort(pack->categories_.begin(), pack->categories_.end(),
                   [](const Category& a, const Category& b) { return a.min_score > b.min_score; });
  auto has_column = [&](const std::string& title) {
    for (const auto& c : pack->columns_)
      if (c.title == title) return true;
    return false;
  };
  std::vector<std::pair<std::string, std::string>> references;  // what, column title
  if (!pack->group_by_.empty()) references.emplace_back("group_by", pack->group_by_);
  if (pack->heatmap_) {
    references.emplace_back("heatmap x", pack->heatmap_->x);
    references.emplace_back("heatmap y", pack->heatmap_->y);
  }
  for (const auto& f : pack->summary_) references.emplace_back("summary '" + f.title + "'", f.column);
  for (const auto& [what, title] : references)
    if (!has_column(title))
      return Fail(ErrorCode::kInvalidInput,
                  fmt::format("{}: {} names column '{}', which columns = {{ ... }} does not define",
                              pack_file, what, title));
  // A pack may raise its own budget and cap, never past the host's ceilings.
  if (pack->instruction_limit_ > sandbox.limits().max_instructions)
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}: instruction_limit = {} is above the ceiling of {} set for this host (the "
                            "job's [limits] instruction_limit or --instruction-limit)",
                            pack_file, pack->instruction_limit_, sandbox.limits().max_instructions));
  if (pack->memory_limit_mb_ > (sandbox.limits().max_memory_bytes >> 20))
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}: memory_limit_mb = {} is above the ceiling of {} set for this host (the "
                            "job's [limits] memory_limit_mb or --memory-limit-mb)",
                            pack_file, pack->memory_limit_mb_, sandbox.limits().max_memory_bytes >> 20));
  if (pack->instruction_limit_ || pack->memory_limit_mb_) {
    Limits adjusted = sandbox.limits();
    if (pack->instruction_limit_) adjusted.instructions = pack->instruction_limit_;
    if (pack->memory_limit_mb_) adjusted.memory_bytes = pack->memory_limit_mb_ << 20;
    sandbox.SetLimits(adjusted);
  }
  for (const auto& c : pack->columns_) {
    bool known = c.kind != "level" && c.kind != "shows";
    for (const auto& i : pack->indicators_) known = known || i.id == c.source;
    if (!known) {
      std::vector<std::string> ids;
      for (const auto& i : pack->indicators_) ids.push_back(i.id);
      return Fail(ErrorCode::kInvalidInput,
                  fmt::format("{}: column '{}' reads indicator '{}', which the pack does not define{}",
                              pack_file, c.title, c.source, DidYouMean(c.source, ids)));
    }
  }
  auto numeric_threshold = [&](const std::string& name) {
    auto it = pack->thresholds_.find(name);
    return it != pack->thresholds_.end() && it->second.type == "number";
  };
  for (const auto& chart : pack->charts_)
    for (const auto& line : chart.lines)
      for (const std::string* name : {&line.threshold, &line.scale_threshold})
        if (!name->empty() && !numeric_threshold(*name))
          return Fail(ErrorCode::kInvalidInput,
                      fmt::format("{}: chart '{}' line '{}' names threshold '{}', which thresholds.lua does "
                                  "not define as a number", pack_file, chart.title, line.label, *name));
  for (const auto& o : pack->overrides_) {
    if (pack->FindCategory(o.category) == nullptr) {
      std::vector<std::string> ids;
      for (const auto& c : pack->categories_) ids.push_back(c.id);
      auto closest = ClosestName(o.category, ids);
      return Fail(ErrorCode::kInvalidInput,
                  fmt::format("{}:{}: override for '{}' names category '{}', which categories.lua "
                              "does not define ({})", o.file, o.line, o.key, o.category,
                              closest ? fmt::format("did you mean {} ({})?", *closest, pack->CategoryLabel(*closest))
                                      : "categories: " + CategoryList(*pack)));
    }
  }
  return pack;
}

const Override* RulePack::FindOverride(const std::string& key, const std::string& as_of) const {
  // ISO dates compare as text; the last matching entry wins, as in a log.
  const Override* found = nullptr;
  for (const auto& o : overrides_)
    if (o.key == key && as_of <= o.expires) found = &o;
  return found;
}

const Override* RulePack::FindLapsedOverride(const std::string& key, const std::string& as_of) const {
  if (FindOverride(key, as_of) != nullptr) return nullptr;
  const Override* lapsed = nullptr;
  for (const auto& o : overrides_)
    if (o.key == key && o.expires < as_of && (lapsed == nullptr || o.expires >= lapsed->expires)) lapsed = &o;
  return lapsed;
}

std::string RulePack::CategoryLabel(const std::string& id) const {
  const Category* c = FindCategory(id);
  return c != nullptr && !c->label.empty() ? c->label : id;
}

const std::string* RulePack::SourceText(const std::string& path) const {
  for (const auto& s : sources_)
    if (s.path == path) return &s.text;
  return nullptr;
}

// A threshold written as text that reads as a number ("0.10", "10%") is a
// mistake that Lua would not catch: comparing it with a number fails on the
// first school, and arithmetic on it works by accident.
// categories.lua lists the most serious category first; a score gets the
// first whose min_score it reaches. A min_score higher than one listed above
// it (targeted 70 under intensive 60) would rank the categories differently
// from how the file reads, so it is refused rather than sorted quietly.
Status RulePack::CheckCategoryOrder() const {
  const std::string* text = SourceText("categories.lua");
  std::vector<int> lines = text ? CallEntryLines(TokenizeLua(*text), "categories") : std::vector<int>();
  if (lines.size() != categories_.size()) lines.assign(categories_.size(), 0);  // built by code: no lines
  const std::string shown = DisplayPath(folder_ / "categories.lua");
  for (std::size_t i = 1; i < categories_.size(); ++i) {
    const Category& above = categories_[i - 1];
    const Category& below = categories_[i];
    if (below.min_score <= above.min_score) continue;
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}:{}: category '{}' (min_score = {}) is listed below '{}' (line {}, min_score = {}), "
                            "but a category's min_score must not be higher than the one above it: categories go "
                            "from the most serious (highest min_score) down; swap them or correct the min_score",
                            shown, lines[i], below.id, below.min_score, above.id, lines[i - 1], above.min_score));
  }
  return Status::Ok();
}

Status RulePack::CheckThresholdValues() const {
  const std::string* text = SourceText("thresholds.lua");
  std::vector<LuaToken> tokens = text ? TokenizeLua(*text) : std::vector<LuaToken>();
  auto line_of = [&](const std::string& name) {
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i)
      if (tokens[i].kind == LuaToken::kName && tokens[i].text == name && tokens[i + 1].text == "=") return tokens[i].line;
    return 0;
  };
  static const std::regex kNumeric(R"(^\s*[-+]?[0-9][0-9,]*(\.[0-9]+)?\s*%?\s*$)");
  for (const auto& [name, t] : thresholds_) {
    if (t.type != "string" || !std::regex_match(t.text, kNumeric)) continue;
    std::string number = t.text;
    number.erase(std::remove_if(number.begin(), number.end(), [](char c) { return c == ',' || c == '%' || c == ' '; }),
                 number.end());
    bool percent = t.text.find('%') != std::string::npos;
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}:{}: threshold '{}' is \"{}\" in quotes, which is text, not a number: write {} = {}{}",
                            DisplayPath(folder_ / "thresholds.lua"), line_of(name), name, t.text, name, number,
                            percent ? " (without the % sign; a share such as 10% can also be written 0.10)" : ""));
  }
  return Status::Ok();
}

// Lua knows only the `overrides {` line; each entry's own line comes from
// reading the file, so notes and errors point at the entry itself.
void RulePack::PlaceOverrideEntries() {
  std::map<std::string, std::vector<Override*>> by_file;
  for (auto& o : overrides_) by_file[o.file].push_back(&o);
  for (auto& [file, entries] : by_file) {
    for (const auto& source : sources_) {
      std::string shown = DisplayPath(folder_ / source.path, folder_);
      // Lua shortens long chunk names from the front ("...ools/overrides.lua").
      bool same = shown == file || (file.rfind("...", 0) == 0 && shown.ends_with(file.substr(3)));
      if (!same) continue;
      std::vector<int> lines = CallEntryLines(TokenizeLua(source.text), "overrides");
      if (lines.size() != entries.size()) break;  // built by code, not listed: keep the call's line
      for (std::size_t i = 0; i < lines.size(); ++i) entries[i]->line = lines[i];
    }
  }
}

std::string RulePack::Noun(std::size_t count) const {
  if (count != 1 && !nouns_.empty()) return nouns_;
  std::string noun = noun_.empty() ? kind_ : noun_;
  if (count != 1) return KindPlural(noun);
  std::replace(noun.begin(), noun.end(), '_', ' ');
  return noun;
}

const Category* RulePack::FindCategory(const std::string& id) const {
  for (const auto& c : categories_)
    if (c.id == id) return &c;
  return nullptr;
}

const Category& RulePack::CategoryForScore(double score) const {
  for (const auto& c : categories_)
    if (score >= c.min_score) return c;
  return categories_.back();
}

std::size_t RulePack::Rank(const std::string& id) const {
  for (std::size_t i = 0; i < categories_.size(); ++i)
    if (categories_[i].id == id) return i;
  return categories_.size();
}

}  // namespace vigil::rules
