-- Attendance: persistent absence (pupils missing 10% or more of their sessions) in the
-- latest year, against thresholds for primary, secondary and special schools.

-- Which set of thresholds applies: "primary", "secondary" or "special"; nil when the
-- school's phase is not known.
local function setting(e)
  if (e.attr.type or ""):lower():find("special", 1, true) then return "special" end
  if phase_unknown(e) then return nil end
  local phase = e.attr.phase
  if phase == "Primary" or phase == "Middle deemed primary" or phase == "Nursery" then
    return "primary"
  end
  return "secondary"
end

indicator {
  id = "persistent_absence",
  title = "Persistent absence",
  applies = is_open,
  evaluate = function(e)
    local o = e:latest("persistent_absence")
    if not o then return none("No absence figures published for this school") end
    if not o.value then
      return none(format("Persistent absence for %s not published: %s", academic_year(o.date), o.text or "suppressed"))
    end
    if too_old(o.date) then
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
