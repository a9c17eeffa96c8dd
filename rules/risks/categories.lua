-- Risk bands. A risk's score is its rating (likelihood x impact at the latest review), so
-- its category is the band the rating falls in. The lower bounds live in thresholds.lua.
categories {
  { id = "very_high", label = "Very high", min_score = threshold.band_very_high,
    description = "Reported to the senior leadership team every month with its countermeasures; "
      .. "the owner agrees what more can be done now." },
  { id = "high", label = "High", min_score = threshold.band_high,
    description = "Countermeasures checked at every review; the owner reports any rise at once." },
  { id = "medium", label = "Medium", min_score = threshold.band_medium,
    description = "Managed within the service; reviewed on its normal cycle." },
  { id = "low", label = "Low", min_score = 1,
    description = "Tolerated; kept on the register while the cause remains." },
  { id = "not_scored", label = "Not yet scored", min_score = 0,
    description = "On the register but never reviewed: the owner scores it at the next meeting." },
}
