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
    { "Latest evidence", latest = "evidence", wide = true },
    { "Tracking", shows = "tracking" },
  },
  -- Headline figures over every recommendation, whatever its category: they count the
  -- same recommendations as the categories, grouped another way (a concluded
  -- recommendation recorded as achieved on time when it was late needs the committee's
  -- attention too), so their titles must not repeat a category's label.
  summary = {
    { "Not yet concluded (all, including those needing attention)", column = "Tracking", aggregate = "count",
      equals = "tracked" },
    { "Achieved: tracking concluded (all, including those needing attention)", column = "Tracking",
      aggregate = "count", equals = "concluded" },
  },
}
