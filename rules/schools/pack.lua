-- The default schools risk pack: one city-wide risk assessment for every open school,
-- whatever its type or phase. Each indicator in indicators/ adds points; the total score
-- places the school in a category (categories.lua). Tune the numbers in thresholds.lua.
pack {
  name = "schools",
  title = "City-wide risk assessment of schools",
  kind = "school",
  -- Closed establishments stay in the store (their history explains their successors)
  -- but are not assessed.
  applies = function(e) return e.attr.status ~= "Closed" end,
  -- The columns of the school lists, after the URN and name.
  columns = {
    { "Phase", attr = "phase" },
    { "Type", attr = "type" },
    { "Sector", attr = "sector" },
    { "District", attr = "district" },
    { "Ward", attr = "ward" },
    { "Pupils", latest = "pupils" },
    { "Ofsted", shows = "ofsted_judgement" },
    { "Last inspected", shows = "time_since_inspection" },
  },
  -- Headline figures: the authority's profile as the assessment sees it.
  summary = {
    { "Pupils in open schools", column = "Pupils", aggregate = "sum" },
    { "Maintained schools", column = "Sector", aggregate = "count", equals = "maintained" },
    { "Judged Outstanding", column = "Ofsted", aggregate = "count", equals = "Outstanding" },
    { "Judged Good", column = "Ofsted", aggregate = "count", equals = "Good" },
    { "Requires improvement", column = "Ofsted", aggregate = "count", equals = "Requires improvement" },
    { "Judged Inadequate", column = "Ofsted", aggregate = "count", equals = "Inadequate" },
    { "Not yet inspected", column = "Ofsted", aggregate = "count", equals = "Not inspected" },
    { "Good or outstanding, inspection 5+ years ago", column = "Last inspected", aggregate = "count",
      equals = "overdue" },
  },
}
