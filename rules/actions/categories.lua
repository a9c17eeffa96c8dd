-- Action status. An action's score is the points of its status (thresholds.lua), so its
-- category is its status: Overdue, At risk, On track or Complete.
categories {
  { id = "overdue", label = "Overdue", min_score = threshold.overdue_points,
    description = "Past its due date and not complete: the lead agrees a new date with the "
      .. "senior leadership team and says what is left." },
  { id = "at_risk", label = "At risk", min_score = threshold.at_risk_points,
    description = "Progress is well behind the time gone: the lead reports what will bring it back "
      .. "on track at the next monthly dashboard." },
  { id = "on_track", label = "On track", min_score = threshold.on_track_points,
    description = "Open and keeping pace with its timeframe, or not started yet." },
  { id = "complete", label = "Complete", min_score = 0,
    description = "Reported 100% complete." },
}
