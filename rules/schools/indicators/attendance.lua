-- Attendance: persistent absence (pupils missing 10% or more of their sessions) in the
-- latest year, against thresholds for primary, secondary and special schools.

local function academic_year(date)
  local y, m = tonumber(date:sub(1, 4)), tonumber(date:sub(6, 7))
  if m <= 8 then y = y - 1 end
  return format("%d/%02d", y, (y + 1) % 100)
end

-- Which set of thresholds applies: "primary", "secondary" or "special"; nil when the
-- school's phase is not known.
local function setting(e)
  if (e.attr.type or ""):lower():find("special", 1, true) then return "special" end
  local phase = e.attr.phase or ""
  if phase == "" then return nil end
  if phase == "Primary" or phase == "Middle deemed primary" or phase == "Nursery" then
    return "primary"
  end
  return "secondary"
end

-- Without a phase the thresholds cannot be chosen: the rule says so rather than guess.
local function phase_not_known(e)
  return none(format("phase not known: %s has no phase in the data (the GIAS register gives it), so no threshold was chosen", e.key))
end

indicator {
  id = "persistent_absence",
  title = "Persistent absence",
  applies = function(e) return e.attr.status ~= "Closed" end,
  evaluate = function(e)
    local o = e:latest("persistent_absence")
    if not o then return none("No absence figures published for this school") end
    if not o.value then
      return none(format("Persistent absence for %s not published: %s", academic_year(o.date), o.text or "suppressed"))
    end
    if years_since(o.date) > threshold.data_max_age_years then
      return none(format("Latest absence figures are from %s, too old to use", academic_year(o.date)))
    end
    local kind = setting(e)
    if not kind then return phase_not_known(e) end
    local watch_at = threshold["persistent_absence_watch_" .. kind]
    local concern_at = threshold["persistent_absence_concern_" .. kind]
    local year = academic_year(o.date)
    local overall = e:value("overall_absence")
    local also = overall and format("; overall absence %.1f%%", overall) or ""
    if o.value > concern_at then
      return concern(threshold.persistent_absence_concern_points,
        format("Persistent absence %.1f%% in %s (%s school threshold: concern above %g%%)%s",
          o.value, year, kind, concern_at, also))
    end
    if o.value > watch_at then
      return watch(threshold.persistent_absence_watch_points,
        format("Persistent absence %.1f%% in %s (%s school threshold: watch above %g%%)%s",
          o.value, year, kind, watch_at, also))
    end
    return none(format("Persistent absence %.1f%% in %s (%s school watch level %g%%)", o.value, year, kind, watch_at))
  end,
}
