-- Scrutiny recommendation tracking: each recommendation's latest assessment
-- from its dated evidence, the checks the tracking guidance asks for, and
-- which recommendations are concluded versus tracked today.
pack {
  name = "recommendations",
  title = "Scrutiny recommendation tracker",
  kind = "recommendation",
  -- The measures the recommendations plugin provides, so `vigil rules check` can name a
  -- misspelt one without data.
  measures = { "tracking_category", "anticipated_date", "evidence", "original_date" },
  group_by = "Review",
  columns = {
    { "Review", attr = "review_title" },
    { "Responsibility", attr = "responsibility" },
    { "Original date", attr = "original_date" },
    { "Latest assessment", shows = "latest_assessment" },
    { "Assessed on", latest_date = "tracking_category" },
    { "Anticipated date", latest = "anticipated_date" },
    { "Latest evidence", latest = "evidence" },
    { "Tracking", shows = "tracking" },
  },
  summary = {
    { "Tracked today", column = "Tracking", aggregate = "count", equals = "tracked" },
    { "Concluded", column = "Tracking", aggregate = "count", equals = "concluded" },
  },
}
