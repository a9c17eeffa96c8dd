-- Key performance indicators of the education improvement plan: each KPI
-- (and each district, ward or group breakdown of one) is an entity whose
-- observations are its values over time with their comparators.
pack {
  name = "kpis",
  title = "Key performance indicators",
  kind = "kpi",
  -- The measures the KPI spreadsheet provides, so `vigil rules check` can name a misspelt one
  -- without data.
  measures = { "value", "period", "national", "statistical_neighbours", "core_cities" },
  -- Headline figures above the table.
  summary = {
    { "KPIs meeting their target", column = "Target", aggregate = "count", equals = "met" },
  },
  -- The KPI table's columns, after the key and name.
  columns = {
    { "Breakdown", attr = "breakdown" },
    { "Baseline", attr = "baseline" },
    { "Baseline period", attr = "baseline_period" },
    { "Previous", previous = "value" },
    { "Latest", latest = "value" },
    { "Period", latest = "period" },
    { "Direction", shows = "direction" },
    { "Target", shows = "target" },
    { "National", latest = "national" },
    { "Stat. neighbours", latest = "statistical_neighbours" },
    { "Core cities", latest = "core_cities" },
  },
}
