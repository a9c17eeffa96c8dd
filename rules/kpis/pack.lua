-- Key performance indicators of the education improvement plan: each KPI
-- (and each district, ward or group breakdown of one) is an entity whose
-- observations are its values over time with their comparators.
pack {
  name = "kpis",
  title = "Key performance indicators",
  kind = "kpi",
  -- What the report calls one KPI, and its key.
  noun = "KPI",
  key_title = "KPI",
  -- The measures the KPI spreadsheet provides, so `vigil rules check` can name a misspelt one
  -- without data.
  measures = { "value", "period", "national", "statistical_neighbours", "core_cities" },
  -- Headline figures above the table.
  summary = {
    { "KPIs meeting their target", column = "Target", aggregate = "count", starts_with = "met" },
  },
  -- The KPI table's columns, after the key and name.
  columns = {
    { "Breakdown", attr = "breakdown" },
    { "Baseline", attr = "baseline" },
    { "Baseline period", attr = "baseline_period", print = false },
    { "Previous", previous = "value" },
    { "Latest", latest = "value" },
    { "Period", latest = "period" },
    { "Direction", shows = "direction" },
    { "Target", shows = "target" },
    { "National", latest = "national" },
    { "Stat. neighbours", latest = "statistical_neighbours" },
    { "Core cities", latest = "core_cities", print = false },
  },
  -- Each KPI's page: its values over time beside the comparators, with its target.
  charts = {
    { "Value and comparators", measure = "value", compare = { "national", "statistical_neighbours", "core_cities" },
      lines = { { "target", attr = "target" } } },
  },
}
