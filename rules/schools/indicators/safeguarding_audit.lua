-- The section 175 safeguarding audit each school returns to the local authority: not
-- returned, returned with actions still outstanding, or returned late. Each return is
-- dated by its due date.

local function academic_year(date)
  local y, m = tonumber(date:sub(1, 4)), tonumber(date:sub(6, 7))
  if m <= 8 then y = y - 1 end
  return format("%d/%02d", y, (y + 1) % 100)
end

-- "14/08/2023" (or "14-08-2023", "2023-08-14") -> "2023-08-14"; nil if not a date.
local function iso_date(s)
  if not s then return nil end
  local d, m, y = s:match("^(%d%d)[-/](%d%d)[-/](%d%d%d%d)$")
  if d then return format("%s-%s-%s", y, m, d) end
  if s:match("^%d%d%d%d%-%d%d%-%d%d$") then return s end
  return nil
end

local function on_date(e, measure, date)
  local h = e:history(measure)
  for i = #h, 1, -1 do
    if h[i].date == date then return h[i] end
  end
  return nil
end

indicator {
  id = "s175_audit",
  title = "Section 175 safeguarding audit",
  applies = function(e) return e.attr.status ~= "Closed" end,
  evaluate = function(e)
    local status = e:latest("s175_status")
    if not status or not status.text then return none("No s175 audit on record") end
    if years_since(status.date) > threshold.data_max_age_years then
      return none(format("Latest s175 audit on record is for %s, too old to use", academic_year(status.date)))
    end
    local year = academic_year(status.date)
    if status.text == "Not returned" then
      return concern(threshold.s175_not_returned_points,
        format("s175 safeguarding audit for %s (due %s) not returned", year, status.date))
    end
    local points, parts = 0, {}
    local actions = on_date(e, "s175_actions_outstanding", status.date)
    if actions and actions.value and actions.value > 0 then
      points = points + threshold.s175_actions_points
      parts[#parts + 1] = format("%d action%s outstanding", math.floor(actions.value),
        actions.value == 1 and "" or "s")
    end
    local received = on_date(e, "s175_received", status.date)
    local received_on = received and iso_date(received.text)
    if received_on then
      local late = days_between(status.date, received_on)
      if late > threshold.s175_late_days then
        points = points + threshold.s175_late_points
        parts[#parts + 1] = format("returned %d days late (received %s, due %s; allowed %d days)",
          math.floor(late + 0.5), received_on, status.date, threshold.s175_late_days)
      end
    end
    if points > 0 then
      return watch(points, format("s175 safeguarding audit for %s: %s", year, table.concat(parts, "; ")))
    end
    return none(format("s175 safeguarding audit for %s: %s", year, status.text))
  end,
}
