-- Time since inspection: schools not inspected for years (their judgement may no longer
-- describe them), and schools open for years with no inspection at all. Every kind of
-- inspection counts: graded, ungraded, "not judged" overall (September 2024 to November
-- 2025) and report cards.

-- is_open, latest_inspection, describe_inspection and iso_date are in lib/.

indicator {
  id = "time_since_inspection",
  title = "Time since the last inspection",
  applies = is_open,
  evaluate = function(e)
    local last, judged = latest_inspection(e)
    if last then
      local years = years_since(last.date)
      -- Requires improvement or Inadequate schools are re-inspected sooner, and the
      -- judgement already scores.
      local weak = judged and judged.kind == "graded" and judged.overall >= 3
      -- `show` is the report's "Last inspected" column: always the date.
      if not weak and years >= threshold.inspection_overdue_years then
        return watch(threshold.inspection_overdue_points,
          format("Last inspection %.1f years ago: %s (due after %d years)",
            years, describe_inspection(last), threshold.inspection_overdue_years),
          { show = format("%s (overdue)", last.date) })
      end
      return none(format("Last inspection %.1f years ago: %s", years, describe_inspection(last)),
                  { show = last.date })
    end
    local opened = iso_date(e.attr.open_date)
    if opened then
      local years = years_since(opened)
      if years > threshold.never_inspected_years then
        return watch(threshold.never_inspected_points,
          format("No inspection since opening on %s, %.1f years ago (more than %d years)",
            opened, years, threshold.never_inspected_years))
      end
      return none(format("Not yet inspected: opened on %s, %.1f years ago", opened, years))
    end
    return watch(threshold.never_inspected_points, "No inspection on record")
  end,
}
