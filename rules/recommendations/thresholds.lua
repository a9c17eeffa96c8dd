-- The rules of the tracking process. Edit them here; nothing else needs changing.
return {
  -- Assessment categories that conclude tracking (1 Achieved (Fully), 2 Achieved (Late)).
  -- A recommendation whose latest assessment is one of these leaves the tracking list.
  concluding_categories = { 1, 2 },
  -- Categories that need an anticipated completion date with the assessment
  -- (3 Not Achieved (Progress Made), 5 Not Achieved (Insufficient Progress)).
  needs_anticipated_date = { 3, 5 },
  -- Points for each problem the committee must look at; one is enough to need attention.
  flag_points = 20,
  -- Points for a recommendation still being tracked with nothing wrong.
  tracked_points = 5,
}
