-- Numbers that decide a contract KPI's RAG status. Edit them here; nothing else needs changing.
return {
  -- A missed target counts as a near miss (amber) when the latest value is within this
  -- percentage of the target (e.g. 5: 96% against a target of 100% is a near miss).
  near_miss_percent = 5,
  -- A change smaller than this (in the KPI's own unit) since the term before counts as no change.
  no_change_within = 0.5,
  -- Points when the target is missed but the KPI is a near miss or moving the right way (amber).
  missed_improving_points = 20,
  -- Points when the target is missed by more and the KPI is not improving (red).
  missed_not_improving_points = 50,
  -- Points when the latest term's figure was not reported (a code such as x in the file), or
  -- no figure has been reported at all: amber.
  not_reported_points = 20,
  -- A termly KPI whose latest figure is older than this many days is flagged as late
  -- (the longest term, spring to summer, is 153 days; the rest is time to report).
  termly_max_age_days = 183,
  -- The same for a KPI measured once a year (Frequency "annual").
  annual_max_age_days = 396,
  -- Points for a late figure. 0 makes it a flag only; 20 would make it amber.
  late_points = 0,
}
