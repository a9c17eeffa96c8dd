-- The school improvement partner's contract KPIs, monitored each term by the contract
-- management group: measures of contractual compliance, of outcomes and of outputs. Each
-- KPI is an entity whose observations are its termly values; its RAG status compares the
-- latest value with the contract target and the term before. Tune thresholds.lua.
pack {
  name = "contract",
  title = "School improvement contract KPIs",
  kind = "contract_kpi",
  -- The measures the contract spreadsheet provides, so `vigil rules check` can name a misspelt
  -- one without data.
  measures = { "value", "term" },
  -- The KPI table's columns, after the KPI's ID and measure.
  columns = {
    { "Kind", attr = "kind" },
    { "Target", attr = "target" },
    { "Previous", previous = "value" },
    { "Latest", latest = "value" },
    { "Term", latest = "term" },
    { "Direction", shows = "direction" },
    { "Against target", shows = "target" },
  },
  -- Within each RAG status, KPIs are listed under compliance, outcome and output.
  group_by = "Kind",
  summary = {
    { "Targets met", column = "Against target", aggregate = "count", equals = "met" },
    { "Improving since last term", column = "Direction", aggregate = "count", equals = "↑ improving" },
    { "Not reported", column = "Against target", aggregate = "count", equals = "not reported" },
  },
}
