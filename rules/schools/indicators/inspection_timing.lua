-- Time since inspection: Good or Outstanding schools not inspected for years (their
-- judgement may no longer describe them), and schools open for years with no graded
-- inspection at all.

-- is_open, latest_graded, judgement_name and iso_date are in lib/.

indicator {
  id = "time_since_inspection",
  title = "Time since the last graded inspection",
  applies = is_open,
  evaluate = function(e)
    local latest = latest_graded(e)
    if latest then
      local years = years_since(latest.date)
      local name = judgement_name(latest.value)
      if latest.value <= 2 and years >= threshold.inspection_overdue_years then
        return watch(threshold.inspection_overdue_points,
          format("Last graded inspection %.1f years ago (%s), judged %s (due after %d years)",
            years, latest.date, name, threshold.inspection_overdue_years),
          -- `show` is the report's "Last inspected" column: always the date.
          { show = format("%s (overdue)", latest.date) })
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
