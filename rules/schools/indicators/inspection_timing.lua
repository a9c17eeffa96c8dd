-- Time since inspection: Good or Outstanding schools not inspected for years (their
-- judgement may no longer describe them), and schools open for years with no graded
-- inspection at all.

local JUDGEMENT = { "Outstanding", "Good", "Requires improvement", "Inadequate" }

local function is_open(e)
  return e.attr.status ~= "Closed"
end

-- "01-09-2023", "01/09/2023" or "2023-09-01" -> "2023-09-01"; nil if not a date.
local function iso_date(s)
  if not s then return nil end
  local d, m, y = s:match("^(%d%d)[-/](%d%d)[-/](%d%d%d%d)$")
  if d then return format("%s-%s-%s", y, m, d) end
  if s:match("^%d%d%d%d%-%d%d%-%d%d$") then return s end
  return nil
end

indicator {
  id = "time_since_inspection",
  title = "Time since the last graded inspection",
  applies = is_open,
  evaluate = function(e)
    -- The latest graded judgement, from the Ofsted file or the register's own record.
    local latest
    for _, measure in ipairs({ "ofsted_overall", "ofsted_rating_register" }) do
      for _, o in ipairs(e:history(measure)) do
        if o.value and (not latest or o.date > latest.date) then latest = o end
      end
    end
    if latest then
      local years = years_since(latest.date)
      local name = JUDGEMENT[math.floor(latest.value + 0.5)] or tostring(latest.value)
      if latest.value <= 2 and years >= threshold.inspection_overdue_years then
        return watch(threshold.inspection_overdue_points,
          format("Last graded inspection %.1f years ago (%s), judged %s (due after %d years)",
            years, latest.date, name, threshold.inspection_overdue_years), { show = "overdue" })
      end
      return none(format("Last graded inspection %.1f years ago (%s), judged %s", years, latest.date, name),
                  { show = latest.date })
    end
    local opened = iso_date(e.attr.open_date)
    if opened then
      local years = years_since(opened)
      if years > threshold.never_inspected_years then
        return watch(threshold.never_inspected_points,
          format("No graded inspection since opening on %s, %.1f years ago (more than %d years)",
            opened, years, threshold.never_inspected_years))
      end
      return none(format("Not yet inspected: opened on %s, %.1f years ago", opened, years))
    end
    return watch(threshold.never_inspected_points, "No graded inspection on record")
  end,
}
