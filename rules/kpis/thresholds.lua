-- Numbers that decide a KPI's RAG status. Edit them here; nothing else needs changing.
return {
  -- A KPI whose target is "in line with national" meets it when it is within
  -- this many points of the national figure (on the right side or not).
  in_line_tolerance = 1.0,
  -- Points when a target is missed but the KPI is moving the right way (amber).
  missed_improving_points = 20,
  -- Points when a target is missed and the KPI is not improving (red).
  missed_not_improving_points = 50,
  -- A change smaller than this (in the KPI's own unit) counts as "no change".
  no_change_within = 0.1,
}
