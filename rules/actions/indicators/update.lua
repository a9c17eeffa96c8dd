-- Is the action's progress reported regularly? An open action whose last update (or, with
-- none yet, its start date) is more than threshold.update_max_age_days old is flagged.
-- A flag only: no points, so the action keeps its status.

-- "01/10/2016" (or "01-10-2016", "2016-10-01") -> "2016-10-01"; nil if not a date.
local function iso_date(s)
  if not s then return nil end
  local d, m, y = s:match("^(%d%d?)[-/](%d%d?)[-/](%d%d%d%d)$")
  if d then return format("%s-%02d-%02d", y, tonumber(m), tonumber(d)) end
  if s:match("^%d%d%d%d%-%d%d%-%d%d$") then return s end
  return nil
end

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
