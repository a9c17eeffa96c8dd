-- The sandbox's trusted setup, run once per pack with the real globals.
-- It builds `base` (the only table of shared names rules can see), the
-- per-file environments, and the registration functions pack{},
-- categories{} and indicator{}. Nothing here is reachable by rules except
-- through the functions it puts in `base`.
local G, getinfo = ...

local error, type, tostring, setmetatable, next, ipairs, select =
  G.error, G.type, G.tostring, G.setmetatable, G.next, G.ipairs, G.select
local sformat, smatch, floor, tointeger = G.string.format, G.string.match, G.math.floor, G.math.tointeger

local base = {}

-- suggest(word, names) -> " (did you mean x?)" or "": set by the host (set_suggest).
local suggest = function() return "" end
local function keys_of(t)
  local names = {}
  for k in next, t do
    if type(k) == "string" then names[#names + 1] = k end
  end
  return names
end

local function unavailable(name, why)
  return function()
    error(name .. " is not available in rules" .. (why or ""), 2)
  end
end

for _, name in ipairs { "assert", "error", "ipairs", "pairs", "pcall", "select",
                        "tonumber", "tostring", "type", "xpcall", "rawequal", "rawget",
                        "rawlen", "getmetatable" } do
  base[name] = G[name]
end

-- Finalizers (__gc) run inside the garbage collector, where no hook can
-- stop them, and when the state closes, after evaluation: a slow one would
-- hang the process. A table is marked for finalization only if its
-- metatable has __gc (a raw field) when setmetatable is called, so refusing
-- that here is enough.
local rawget, raw_setmetatable = G.rawget, G.setmetatable
function base.setmetatable(t, mt)
  if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
    error("setmetatable: finalizers (__gc) are not available in rules", 2)
  end
  return raw_setmetatable(t, mt)
end

---------------------------------------------------------------- read-only views
-- Thresholds and the libraries are shared by every entity a rule sees, so a
-- rule gets them through read-only views: reading works as on the table
-- (t.x, t[i], #t, ipairs, pairs, next), writing is an error, and nothing
-- hands out the table behind a view (pairs gives views of nested tables).
local views = raw_setmetatable({}, { __mode = "k" })   -- view -> table
local view_of = raw_setmetatable({}, { __mode = "k" }) -- table -> view
local readonly

local function wrap(value)
  if type(value) == "table" and views[value] == nil then return readonly(value) end
  return value
end

local function view_next(view, key)
  local k, v = next(views[view], key)
  return k, wrap(v)
end

-- `missing(key)` and `refuse(key)`, when given, raise the errors for reading
-- an absent key and for writing (at level 3: the rule's line).
function readonly(t, missing, refuse, seen)
  local existing = view_of[t]
  if existing then return existing end
  local view = raw_setmetatable({}, {
    __index = function(_, key)
      local v = t[key]
      if v == nil and missing then missing(key) end
      if seen then seen(key) end
      return wrap(v)
    end,
    __newindex = function(_, key)
      if refuse then refuse(key) end
      error(sformat("'%s' cannot be set: this table is shared by every entity and read-only in rules",
                    tostring(key)), 2)
    end,
    __len = function() return #t end,
    __pairs = function(view) return view_next, view, nil end,
    __metatable = false,
  })
  views[view] = t
  view_of[t] = view
  return view
end

-- next() on a view walks the table behind it, giving views of nested tables.
function base.next(t, key)
  if views[t] ~= nil then return view_next(t, key) end
  return next(t, key)
end
for _, name in ipairs { "load", "loadfile", "dofile", "loadstring", "print",
                        "collectgarbage", "rawset" } do
  base[name] = unavailable(name)
end
base.require = unavailable("require", ": a pack's files are all loaded by Vigil")

local function stub_library(lib)
  return setmetatable({}, {
    __index = function(_, key) return unavailable(lib .. "." .. tostring(key)) end,
    __newindex = function() error(lib .. " is not available in rules", 2) end,
    __metatable = false,
  })
end
for _, lib in ipairs { "io", "os", "debug", "package", "coroutine" } do
  base[lib] = stub_library(lib)
end

-- string.dump would hand out bytecode; the string metatable's __index is
-- the real string table, so remove it there, not only in the copies.
G.string.dump = unavailable("string.dump")
-- Rules must give the same answer every run.
G.math.random = unavailable("math.random", ": results must be reproducible")
G.math.randomseed = unavailable("math.randomseed", ": results must be reproducible")

local function copy(t)
  local c = {}
  for k, v in next, t do c[k] = v end
  return c
end

---------------------------------------------------------------- results
local function check_reason(reason, fname)
  if reason ~= nil and type(reason) ~= "string" then
    error(sformat("%s: the reason must be text, got %s", fname, type(reason)), 3)
  end
  return reason or ""
end

local function make(level, points, reason, opts)
  if type(points) ~= "number" then
    error(sformat("%s(points, reason): points must be a number, got %s", level, type(points)), 3)
  end
  local r = { level = level, points = points, reason = check_reason(reason, level) }
  if opts ~= nil then
    if type(opts) ~= "table" then
      error(sformat("%s(points, reason, options): options must be a table like { force = \"intensive\" }", level), 3)
    end
    r.force = opts.force
    r.show = opts.show
  end
  return r
end

function base.none(reason, opts)
  local r = { level = "none", points = 0, reason = check_reason(reason, "none") }
  if type(opts) == "table" then r.show = opts.show end
  return r
end
-- Not tail calls: make()'s errors point two levels up, at the rule's line.
function base.watch(points, reason, opts) local r = make("watch", points, reason, opts) return r end
function base.concern(points, reason, opts) local r = make("concern", points, reason, opts) return r end
function base.serious(points, reason, opts) local r = make("serious", points, reason, opts) return r end

---------------------------------------------------------------- dates
local function day_number(d, fname)
  if type(d) ~= "string" then
    error(sformat("%s: expected a date like \"2023-11-30\", got %s", fname, type(d)), 3)
  end
  local y, m, dd = smatch(d, "^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then
    error(sformat("%s: \"%s\" is not a date like \"2023-11-30\"", fname, d), 3)
  end
  y, m, dd = tointeger(y + 0), tointeger(m + 0), tointeger(dd + 0)
  if m <= 2 then y = y - 1 end
  local era = y // 400
  local yoe = y - era * 400
  local doy = (153 * ((m + 9) % 12) + 2) // 5 + dd - 1
  return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
end

function base.days_between(a, b)
  return day_number(b, "days_between") - day_number(a, "days_between")
end
function base.years_between(a, b)
  return (day_number(b, "years_between") - day_number(a, "years_between")) / 365.2425
end
function base.months_between(a, b)
  return (day_number(b, "months_between") - day_number(a, "months_between")) / (365.2425 / 12)
end
function base.years_since(d)
  return (day_number(base.as_of, "years_since") - day_number(d, "years_since")) / 365.2425
end
-- format() as string.format, but a whole-number conversion (%d, %i, %x, …)
-- given a number with a fraction shows the number as it is instead of
-- failing the rule, and other mistakes name the argument.
local function format(fmt, ...)
  if type(fmt) ~= "string" then
    error(sformat("format: the first argument must be text like \"%%d schools\", got %s", type(fmt)), 2)
  end
  local ok, text = pcall(sformat, fmt, ...)
  if ok then return text end
  local args, n, i = { ... }, select("#", ...), 0
  local fixed = G.string.gsub(fmt, "%%[-+ #0]*%d*%.?%d*([%a%%])", function(conv)
    if conv == "%" then return nil end
    i = i + 1
    local v = args[i]
    if (conv == "d" or conv == "i" or conv == "x" or conv == "X" or conv == "o" or conv == "c")
       and type(v) == "number" and tointeger(v) == nil then
      args[i] = tostring(v)
      return "%s"
    end
  end)
  ok, text = pcall(sformat, fixed, G.table.unpack(args, 1, n))
  if ok then return text end
  error("format: " .. G.string.gsub(tostring(text), "^bad argument #(%d+) to '[^']*'", function(k)
    return sformat("argument %d after the format text", tointeger(k - 1) or k)
  end), 2)
end
base.format = format
function base.round(x, digits)
  if type(x) ~= "number" then error("round: expected a number, got " .. type(x), 2) end
  local m = 10 ^ (digits or 0)
  return floor(x * m + 0.5) / m
end

---------------------------------------------------------------- registration
local registry = { pack = false, categories = false, indicators = {}, thresholds = false,
                   overrides = {}, tests = {} }

-- pack{}, categories{}, indicator{} and overrides{} declare the pack while
-- its files load; afterwards (during evaluation) they are refused.
local loaded = false
local function declaring(what)
  if loaded then
    error(sformat("%s can only be used at the top level of a rule file, when the pack loads", what), 3)
  end
end

-- Text a pack declares (titles, labels, reasons) must be valid UTF-8 without
-- control characters, and short enough for a report: an error at the line
-- that declares it, rather than a report that breaks later.
local utf8len, sfind = G.utf8.len, G.string.find
local function check_text(value, max, what)
  if value == nil then return end
  if type(value) ~= "string" then
    error(sformat("%s must be text, got %s", what, type(value)), 3)
  end
  if #value > max then error(sformat("%s is %d bytes long; at most %d", what, #value, max), 3) end
  local _, bad = utf8len(value)
  if bad then
    error(sformat("%s is not valid UTF-8 (byte %d): write the character itself, in a file saved as UTF-8", what, bad), 3)
  end
  local at = sfind(value, "[%c\127]")
  if at then error(sformat("%s holds a control character (byte %d)", what, at), 3) end
end
local function check_id(value, what)
  if type(value) == "string" and (#value > 64 or not smatch(value, "^[%w_][%w_%.%-]*$")) then
    error(sformat("%s '%s' must be 1 to 64 letters, digits, '_', '.' or '-'", what, value:sub(1, 64)), 3)
  end
end

local function where(level)
  local info = getinfo(level + 1, "Sl")
  return info.short_src, info.currentline
end

local function need(t, field, kind, what)
  local v = t[field]
  if type(v) ~= kind then
    error(sformat("%s needs %s to be a %s, got %s", what, field, kind, type(v)), 3)
  end
  return v
end

-- A misspelt key would be ignored in silence (a title never shown, an
-- override that never expires): every registration names the keys it takes.
local function check_keys(t, allowed, what)
  for key in next, t do
    if type(key) ~= "number" and not allowed[key] then
      error(sformat("%s: unknown key '%s'%s", what, tostring(key), suggest(tostring(key), keys_of(allowed))), 3)
    end
  end
end

local PACK_KEYS = { name = true, title = true, kind = true, applies = true, columns = true,
                    group_by = true, heatmap = true, summary = true, instruction_limit = true,
                    memory_limit_mb = true, measures = true, optional_measures = true, noun = true, nouns = true, key_title = true,
                    charts = true, timeline = true }

-- charts = { { "Title", measure = "m", unit = "%", compare = { "m2" },
--              lines = { { "label", threshold = "name" | value = 0 | attr = "a", scale = 2 | "name" } } } }
local function read_charts(list)
  if list == nil then return {} end
  if type(list) ~= "table" then error("pack{}: charts must be a list of tables", 3) end
  local out = {}
  for i, c in ipairs(list) do
    local title = type(c) == "table" and (c[1] or c.title)
    if type(title) ~= "string" or type(c.measure) ~= "string" then
      error(sformat("pack{}: chart %d needs a title and a measure, e.g. { \"Progress 8\", measure = \"ks4_progress8\" }", i), 3)
    end
    local compare = {}
    for _, m in ipairs(c.compare or {}) do
      if type(m) ~= "string" then error(sformat("pack{}: chart '%s': compare lists measure names", title), 3) end
      compare[#compare + 1] = m
    end
    local lines = {}
    for j, l in ipairs(c.lines or {}) do
      local label = type(l) == "table" and (l[1] or l.label)
      local sources = 0
      if type(l) == "table" then
        if l.threshold ~= nil then sources = sources + 1 end
        if l.value ~= nil then sources = sources + 1 end
        if l.attr ~= nil then sources = sources + 1 end
      end
      if type(label) ~= "string" or sources ~= 1 or (l.value ~= nil and type(l.value) ~= "number")
         or (l.threshold ~= nil and type(l.threshold) ~= "string") or (l.attr ~= nil and type(l.attr) ~= "string")
         or (l.scale ~= nil and type(l.scale) ~= "number" and type(l.scale) ~= "string") then
        error(sformat("pack{}: chart '%s' line %d needs a label and one of threshold = \"name\", value = 0 "
                      .. "or attr = \"name\" (and optionally scale = a number or a threshold name)", title, j), 3)
      end
      lines[#lines + 1] = { label = label, threshold = l.threshold or "", value = l.value, attr = l.attr or "",
                            scale = type(l.scale) == "number" and l.scale or nil,
                            scale_threshold = type(l.scale) == "string" and l.scale or "" }
    end
    out[#out + 1] = { title = title, measure = c.measure, unit = c.unit or "", compare = compare, lines = lines }
  end
  return out
end

-- timeline = { "Title", measure = "m", values = { "label of 1", "label of 2", ... } }
local function read_timeline(t)
  if t == nil then return false end
  local title = type(t) == "table" and (t[1] or t.title)
  if type(title) ~= "string" or type(t.measure) ~= "string" then
    error("pack{}: timeline = { \"Title\", measure = \"m\", values = { ... } } needs a title and a measure", 3)
  end
  local values = {}
  for i, v in ipairs(t.values or {}) do
    if type(v) ~= "string" then error(sformat("pack{}: timeline value %d must be text", i), 3) end
    values[#values + 1] = v
  end
  return { title = title, measure = t.measure, values = values }
end

function base.pack(t)
  declaring("pack{}")
  if type(t) ~= "table" then error("pack { name = ..., title = ..., kind = ... } expects a table", 2) end
  if registry.pack then error("pack{} given twice", 2) end
  for key in next, t do
    if not PACK_KEYS[key] then
      error(sformat("pack{}: unknown key '%s'%s", tostring(key), suggest(tostring(key), keys_of(PACK_KEYS))), 2)
    end
  end
  need(t, "name", "string", "pack{}")
  need(t, "kind", "string", "pack{}")
  check_id(t.name, "pack{}: name")
  check_id(t.kind, "pack{}: kind")
  check_text(t.title, 200, "pack{}: title")
  for _, key in ipairs { "instruction_limit", "memory_limit_mb" } do
    local v = t[key]
    if v ~= nil and (tointeger(v) == nil or v <= 0) then
      error(sformat("pack{}: %s must be a whole number above 0, got %s", key, tostring(v)), 2)
    end
  end
  if t.applies ~= nil and type(t.applies) ~= "function" then
    error("pack{}: applies must be a function, got " .. type(t.applies), 2)
  end
  local columns = {}
  if t.columns ~= nil then
    if type(t.columns) ~= "table" then error("pack{}: columns must be a list of tables", 2) end
    for i, c in ipairs(t.columns) do
      if type(c) ~= "table" or type(c[1] or c.title) ~= "string" then
        error(sformat("pack{}: column %d needs a title, e.g. { \"Latest\", latest = \"value\" }", i), 2)
      end
      local kind, source
      for _, k in ipairs { "attr", "latest", "previous", "latest_date", "level", "shows" } do
        if c[k] ~= nil then kind, source = k, c[k] end
      end
      if type(source) ~= "string" then
        error(sformat("pack{}: column '%s' needs one of attr, latest, previous, latest_date, level or shows",
                      c[1] or c.title), 2)
      end
      for _, flag in ipairs { "print", "wide" } do
        if c[flag] ~= nil and type(c[flag]) ~= "boolean" then
          error(sformat("pack{}: column '%s': %s must be true or false", c[1] or c.title, flag), 2)
        end
      end
      check_text(c[1] or c.title, 100, sformat("pack{}: column %d's title", i))
      check_text(source, 200, sformat("pack{}: column %d's %s", i, kind))
      columns[#columns + 1] = { title = c[1] or c.title, kind = kind, source = source, print = c.print ~= false,
                                wide = c.wide == true }
    end
  end
  local heatmap = false
  if t.heatmap ~= nil then
    if type(t.heatmap) ~= "table" or type(t.heatmap.x) ~= "string" or type(t.heatmap.y) ~= "string" then
      error("pack{}: heatmap = { x = \"Column\", y = \"Column\", max = 5 } names two columns", 2)
    end
    heatmap = { x = t.heatmap.x, y = t.heatmap.y, max = tointeger(t.heatmap.max or 5) or 5 }
  end
  local summary = {}
  for i, f in ipairs(t.summary or {}) do
    if type(f) ~= "table" or type(f[1] or f.title) ~= "string" or type(f.column) ~= "string" then
      error(sformat("pack{}: summary figure %d needs a title and a column", i), 2)
    end
    local aggregate = f.aggregate or "mean"
    if aggregate ~= "mean" and aggregate ~= "sum" and aggregate ~= "count" and aggregate ~= "min"
       and aggregate ~= "max" then
      error(sformat("pack{}: summary figure %d: aggregate must be mean, sum, count, min or max", i), 2)
    end
    for _, key in ipairs { "starts_with", "ends_with" } do
      if f[key] ~= nil and (aggregate ~= "count" or type(f[key]) ~= "string") then
        error(sformat("pack{}: summary figure %d: %s is text, for aggregate = \"count\"", i, key), 2)
      end
    end
    summary[#summary + 1] = { title = f[1] or f.title, column = f.column, aggregate = aggregate,
                              equals = f.equals and tostring(f.equals) or "", unit = f.unit or "",
                              starts_with = f.starts_with or "", ends_with = f.ends_with or "" }
  end
  if t.group_by ~= nil and type(t.group_by) ~= "string" then
    error("pack{}: group_by names a column title", 2)
  end
  for _, key in ipairs { "noun", "nouns", "key_title" } do
    if t[key] ~= nil and type(t[key]) ~= "string" then error(sformat("pack{}: %s must be text", key), 2) end
  end
  -- measures = { "pupils", ... }: what the pack reads, so a check without data
  -- can name a misspelt measure.
  -- optional_measures = { ... }: measures a rule reads only when a source provides
  -- them (a fallback); their absence is no error in a check and no warning in a run.
  local function measure_list(key)
    local list = {}
    if t[key] == nil then return list end
    if type(t[key]) ~= "table" then error(sformat("pack{}: %s must be a list of measure names", key), 3) end
    for i, m in ipairs(t[key]) do
      if type(m) ~= "string" then error(sformat("pack{}: %s: measure %d must be a name in quotes", key, i), 3) end
      list[#list + 1] = m
    end
    return list
  end
  local measures, optional_measures = measure_list("measures"), measure_list("optional_measures")
  registry.pack = { name = t.name, title = t.title or t.name, kind = t.kind, applies = t.applies,
                    columns = columns, group_by = t.group_by or "", heatmap = heatmap, summary = summary,
                    instruction_limit = t.instruction_limit, memory_limit_mb = t.memory_limit_mb,
                    measures = measures, optional_measures = optional_measures, noun = t.noun or "", nouns = t.nouns or "", key_title = t.key_title or "",
                    charts = read_charts(t.charts), timeline = read_timeline(t.timeline) }
end

function base.categories(list)
  declaring("categories{}")
  if type(list) ~= "table" then error("categories { {...}, ... } expects a list of tables", 2) end
  if registry.categories then error("categories{} given twice", 2) end
  local seen, out = {}, {}
  for i, c in ipairs(list) do
    local what = sformat("category %d", i)
    if type(c) ~= "table" then error(what .. " must be a table", 2) end
    check_keys(c, { id = true, label = true, min_score = true, description = true }, what)
    need(c, "id", "string", what)
    need(c, "min_score", "number", what)
    check_id(c.id, what .. ": id")
    check_text(c.label, 200, what .. ": label")
    check_text(c.description, 2000, what .. ": description")
    if seen[c.id] then error(sformat("category '%s' is listed twice", c.id), 2) end
    seen[c.id] = true
    out[#out + 1] = { id = c.id, label = c.label or c.id, min_score = c.min_score,
                      description = c.description or "" }
  end
  if #out == 0 then error("categories{} needs at least one category", 2) end
  registry.categories = out
end

function base.indicator(t)
  declaring("indicator{}")
  if type(t) ~= "table" then error("indicator { id = ..., evaluate = function(e) ... end } expects a table", 2) end
  need(t, "id", "string", "indicator{}")
  check_id(t.id, "indicator{}: id")
  check_keys(t, { id = true, title = true, applies = true, evaluate = true }, sformat("indicator '%s'", t.id))
  need(t, "evaluate", "function", sformat("indicator '%s'", t.id))
  check_text(t.title, 200, sformat("indicator '%s': title", t.id))
  if t.applies ~= nil and type(t.applies) ~= "function" then
    error(sformat("indicator '%s': applies must be a function, got %s", t.id, type(t.applies)), 2)
  end
  local file, line = where(2)
  for _, other in ipairs(registry.indicators) do
    if other.id == t.id then
      error(sformat("indicator '%s' is already defined at %s:%d", t.id, other.file, other.line), 2)
    end
  end
  registry.indicators[#registry.indicators + 1] = {
    id = t.id, title = t.title or t.id, applies = t.applies, evaluate = t.evaluate,
    file = file, line = line,
  }
end

local function check_date(value, what)
  if type(value) ~= "string" or not smatch(value, "^%d%d%d%d%-%d%d%-%d%d$") then
    error(sformat("%s must be a date like \"2024-03-31\", got %s", what, tostring(value)), 3)
  end
  day_number(value, what)
end

-- overrides { { key = "103456", category = "intensive", reason = "...",
--               by = "A. Officer", expires = "2024-03-31" }, ... }
function base.overrides(list)
  declaring("overrides{}")
  if type(list) ~= "table" then error("overrides { {...}, ... } expects a list of tables", 2) end
  local file, line = where(2)
  for i, o in ipairs(list) do
    local what = sformat("override %d", i)
    if type(o) ~= "table" then error(what .. " must be a table", 2) end
    check_keys(o, { key = true, category = true, reason = true, by = true, expires = true }, what)
    for _, field in ipairs { "key", "category", "reason", "by" } do need(o, field, "string", what) end
    check_text(o.key, 200, what .. ": key")
    check_text(o.reason, 4000, what .. ": reason")
    check_text(o.by, 200, what .. ": by")
    check_date(o.expires, what .. ": expires")
    registry.overrides[#registry.overrides + 1] = {
      key = o.key, category = o.category, reason = o.reason, by = o.by, expires = o.expires,
      file = file, line = line,
    }
  end
end

-- test { name = "...", as_of = "2023-11-30", entity = { key = ..., attr = {...},
--        observations = { measure = { { date = ..., value = ..., text = ... }, ... } } },
--        expect = { category = ..., levels = { indicator_id = "serious" }, score = 60 } }
function base.test(t)
  if type(t) ~= "table" then error("test { name = ..., entity = {...}, expect = {...} } expects a table", 2) end
  need(t, "name", "string", "test{}")
  need(t, "entity", "table", sformat("test '%s'", t.name))
  need(t, "expect", "table", sformat("test '%s'", t.name))
  if t.as_of ~= nil then check_date(t.as_of, sformat("test '%s': as_of", t.name)) end
  local file, line = where(2)
  registry.tests[#registry.tests + 1] = { name = t.name, entity = t.entity, expect = t.expect,
                                          as_of = t.as_of, file = file, line = line, given = t }
end

---------------------------------------------------------------- environments
setmetatable(base, {
  __index = function(_, key)
    local hint = suggest(tostring(key), keys_of(base))
    error(sformat("unknown name '%s'%s", tostring(key),
                  hint ~= "" and hint or " (a typo? names from other files are not visible here)"), 2)
  end,
  __newindex = function(_, key) error(sformat("cannot change '%s'", tostring(key)), 2) end,
  __metatable = false,
})

-- The set of threshold names read since the evaluator last emptied it (it
-- does before each indicator): the thresholds an indicator used, shown with
-- its result. A set, so it never holds more than thresholds.lua's names.
local threshold_reads = {}

local function set_thresholds(t)
  for key, value in next, t do
    local kind = type(value)
    if type(key) ~= "string" or (kind ~= "number" and kind ~= "string" and kind ~= "boolean" and kind ~= "table") then
      error(sformat("thresholds.lua: '%s' must be a number, text, true/false or a list, got %s", tostring(key), kind), 0)
    end
  end
  registry.thresholds = t
  rawset(base, "threshold", readonly(t, function(key)
    error(sformat("unknown threshold '%s' (thresholds.lua has no such entry)%s", tostring(key),
                  suggest(tostring(key), keys_of(t))), 3)
  end, function(key)
    error(sformat("threshold '%s' cannot be changed by a rule: edit thresholds.lua", tostring(key)), 3)
  end, function(key) threshold_reads[key] = true end))
end

-- A file's environment: its own copies of the libraries, writable while
-- the file loads, then frozen: its names move to a read-only backing table
-- and any later assignment to a global is an error, so evaluating one
-- entity cannot leave state for the next.
local function new_env()
  local meta = { __index = base, __metatable = false }
  local env = setmetatable({ string = copy(G.string), table = copy(G.table),
                             math = copy(G.math), utf8 = copy(G.utf8) }, meta)
  local function freeze()
    local backing = {}
    for k, v in next, env do backing[k] = v end
    for k in next, backing do env[k] = nil end
    -- The file's own copies of the libraries become read-only too: a rule
    -- replacing string.format would change it for every later entity.
    for _, lib in ipairs { "string", "table", "math", "utf8" } do
      if type(backing[lib]) == "table" then backing[lib] = readonly(backing[lib]) end
    end
    setmetatable(backing, { __index = base, __metatable = false })
    meta.__index = backing
    meta.__newindex = function(_, key)
      error(sformat("cannot set global '%s' during evaluation: rules keep no state between " ..
                    "entities (use 'local %s')", tostring(key), tostring(key)), 2)
    end
    return backing
  end
  return env, freeze
end

local function set_shared(name, value) rawset(base, name, wrap(value)) end

local function close_declarations() loaded = true end

-- A lib/ file's top-level names become visible to every file loaded after
-- it, through `base`, which rules cannot change (a table among them through
-- a read-only view). Its own copies of the libraries stay its own.
local LIBRARY_COPIES = { string = true, table = true, math = true, utf8 = true }
local shared_by = {}
local function share_names(names, file)
  for key, value in next, names do
    if not LIBRARY_COPIES[key] then
      if rawget(base, key) ~= nil or key == "as_of" then
        error(sformat("%s: '%s' is already defined %s; choose another name", file, tostring(key),
                      shared_by[key] and ("in " .. shared_by[key]) or "by Vigil"), 0)
      end
      shared_by[key] = file
      rawset(base, key, wrap(value))  -- a shared table is read-only for the files that use it
    end
  end
end

return { new_env = new_env, registry = registry, set_thresholds = set_thresholds,
         set_shared = set_shared, share_names = share_names, threshold_reads = threshold_reads,
         close_declarations = close_declarations,
         set_suggest = function(f) suggest = f end }
