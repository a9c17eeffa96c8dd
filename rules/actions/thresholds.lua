-- Numbers that decide an action's status. Edit them here; nothing else needs changing.
-- "Elapsed" is the share of the action's timeframe (start date to due date) gone by the
-- date of the run, in percent; "progress" is its latest percent complete.
return {
  -- An open action is at risk when its progress is more than this many percentage points
  -- behind the elapsed share of its timeframe (e.g. 40% done with 70% of the time gone).
  at_risk_gap = 20,
  -- Percent complete at which an action counts as done.
  complete_percent = 100,
  -- An open action whose last progress update is more than this many days old is flagged
  -- (a flag only: it adds no points).
  update_max_age_days = 62,
  -- Points for each status; categories.lua starts each category at these scores, so the
  -- status is the category. Keep overdue > at risk > on track > 0.
  overdue_points = 60,
  at_risk_points = 30,
  on_track_points = 10,
}
