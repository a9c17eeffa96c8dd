-- The education risk register: one entity per risk, reviewed (usually monthly) by the
-- senior leadership team. Each review scores the risk's likelihood and impact (1 to 5);
-- the rating is likelihood x impact and its band (low, medium, high, very high) is the
-- risk's category. Tune the bands and the review grace period in thresholds.lua.
pack {
  name = "risks",
  title = "Risk register",
  kind = "risk",
  -- The measures the risk register provides, so `vigil rules check` can name a misspelt one
  -- without data.
  measures = { "likelihood", "impact", "status" },
  -- A risk closed at its latest review leaves the register (its history stays in the store).
  applies = function(e)
    local status = e:latest("status")
    return not (status and status.text == "Closed")
  end,
  -- The register's columns, after the risk's ID and title.
  columns = {
    { "Category", attr = "category" },
    { "Owner", attr = "owner" },
    { "Likelihood", latest = "likelihood" },
    { "Impact", latest = "impact" },
    { "Rating", shows = "rating" },
    { "Band", shows = "band" },
    { "Direction", shows = "direction" },
    { "Last review", latest_date = "likelihood" },
    { "Review", shows = "review" },
  },
  -- Within each band, risks are listed under Education, Programme and Services.
  group_by = "Category",
  -- How many risks sit in each likelihood x impact cell (latest review).
  heatmap = { x = "Likelihood", y = "Impact", max = 5 },
  summary = {
    { "Very high risks", column = "Band", aggregate = "count", equals = "Very high" },
    { "Rising since last review", column = "Direction", aggregate = "count", equals = "↑ rising" },
    { "Reviews overdue", column = "Review", aggregate = "count", equals = "overdue" },
    { "Highest rating", column = "Rating", aggregate = "max" },
  },
}
