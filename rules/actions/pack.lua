-- Key actions of the education improvement plan, across its service plans. Each action is
-- an entity with a lead, a start and a due date, the KPI it supports, a budget and staff
-- time; its observations are dated progress updates (percent complete, with a note). The
-- status compares progress with the share of the timeframe already gone: complete, on
-- track, at risk or overdue. Tune the numbers in thresholds.lua.
pack {
  name = "actions",
  title = "Improvement plan: key actions",
  kind = "action",
  -- The measures the actions spreadsheet provides, so `vigil rules check` can name a misspelt
  -- one without data.
  measures = { "percent_complete", "note" },
  -- The actions table's columns, after the action's ID and wording.
  columns = {
    { "Service plan", attr = "service_plan" },
    { "Lead", attr = "lead" },
    { "Due", attr = "due_date" },
    { "Progress", shows = "progress" },
    { "Elapsed", shows = "elapsed" },
    { "Status", shows = "status" },
    { "Last update", latest_date = "percent_complete" },
    { "KPI", attr = "kpi" },
  },
  -- Within each status, actions are listed under their service plan.
  group_by = "Service plan",
  -- Headline figures over every action in the report.
  summary = {
    { "Plan complete", column = "Progress", aggregate = "mean", unit = "%" },
    { "Actions complete", column = "Status", aggregate = "count", equals = "complete" },
    { "On track", column = "Status", aggregate = "count", equals = "on track" },
    { "At risk", column = "Status", aggregate = "count", equals = "at risk" },
    { "Overdue", column = "Status", aggregate = "count", equals = "overdue" },
  },
}
