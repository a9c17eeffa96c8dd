-- Is the action's progress reported regularly? An open action whose last update (or, with
-- none yet, its start date) is more than threshold.update_max_age_days old is flagged.
-- A flag only: no points, so the action keeps its status.

-- iso_date is in lib/dates.lua.

indicator {
  id = "update",
  title = "Progress reported recently",
  evaluate = function(e)
    local h = e:history("percent_complete")
    for i = #h, 1, -1 do
      if h[i].value then
        if h[i].value >= threshold.complete_percent then
          return none(format("Complete at the update of %s", h[i].date))
        end
        break
      end
    end
    local last = h[#h]
    local since = last and format("last update %s", last.date)
    local from = last and last.date
    if not last then
      local start = iso_date(e.attr.start_date)
      if not start or as_of < start then return none("Not started: no progress update expected yet") end
      since, from = format("no update since it started on %s", start), start
    end
    local age = days_between(from, as_of)
    if age > threshold.update_max_age_days then
      return watch(0, format("No progress reported for %d days (%s; expected at least every %d days)",
                             age, since, threshold.update_max_age_days))
    end
    return none(format("Progress reported %d days ago (%s)", age, since))
  end,
}
