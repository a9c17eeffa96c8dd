-- An action's progress, the share of its timeframe gone, and its status. Dates come from
-- the action's attributes (start_date, due_date: "31/03/2017" or "2017-03-31"); progress
-- from its dated updates (measure percent_complete).

-- iso_date is in lib/dates.lua.

-- The latest update that gave a figure, and the date of any newer update without one.
local function progress(e)
  local h = e:history("percent_complete")
  for i = #h, 1, -1 do
    if h[i].value then
      local blank = i < #h and h[#h].date or nil
      return h[i], blank
    end
  end
  return nil, #h > 0 and h[#h].date or nil
end

-- Percent of the timeframe gone as of the run (0 to 100), or nil without both dates.
local function elapsed(e)
  local start, due = iso_date(e.attr.start_date), iso_date(e.attr.due_date)
  if not start or not due then return nil end
  local length = days_between(start, due)
  if length <= 0 then return as_of >= due and 100 or 0 end
  return math.max(0, math.min(100, days_between(start, as_of) / length * 100))
end

local function percent(x) return format("%d", math.floor(x + 0.5)) end

indicator {
  id = "progress",
  title = "Progress (percent complete)",
  evaluate = function(e)
    local p, blank = progress(e)
    if not p then
      return none("No progress figure yet: counted as 0%", { show = "0" })
    end
    local reason = format("%s%% complete at the update of %s", percent(p.value), p.date)
    if blank then reason = reason .. format("; the update of %s gave no figure", blank) end
    return none(reason, { show = percent(p.value) })
  end,
}

indicator {
  id = "elapsed",
  title = "Timeframe elapsed",
  evaluate = function(e)
    local gone = elapsed(e)
    if not gone then return none("No start or due date: the timeframe is unknown", { show = "–" }) end
    return none(format("%s%% of the time from %s to %s gone by %s", percent(gone),
                       iso_date(e.attr.start_date), iso_date(e.attr.due_date), as_of), { show = percent(gone) })
  end,
}

indicator {
  id = "status",
  title = "Status",
  evaluate = function(e)
    local p = progress(e)
    local done = p and p.value or 0
    local start, due = iso_date(e.attr.start_date), iso_date(e.attr.due_date)
    local where = p and format("%s%% complete at the update of %s", percent(done), p.date)
                    or "no progress update yet"
    if done >= threshold.complete_percent then
      local late = due and days_between(due, p.date) or 0
      return none(format("Complete: %s%s", where,
                         late > 0 and format(", %d days after its due date %s", late, due) or ""),
                  { show = "complete" })
    end
    if not due then
      return concern(threshold.at_risk_points,
                     format("At risk: no due date to track it against (%s)", where), { show = "at risk" })
    end
    if as_of > due then
      return serious(threshold.overdue_points,
                     format("Overdue: due %s, %d days ago; %s", due, days_between(due, as_of), where),
                     { show = "overdue" })
    end
    if start and as_of < start then
      return watch(threshold.on_track_points, format("On track: starts %s, due %s", start, due),
                   { show = "on track" })
    end
    local gone = elapsed(e)
    if gone and gone - done > threshold.at_risk_gap then
      return concern(threshold.at_risk_points,
                     format("At risk: %s with %s%% of the time to %s gone (more than %d points behind)",
                            where, percent(gone), due, threshold.at_risk_gap), { show = "at risk" })
    end
    return watch(threshold.on_track_points,
                 format("On track: %s%s; due %s", where,
                        gone and format(" with %s%% of the time gone", percent(gone)) or "", due),
                 { show = "on track" })
  end,
}
