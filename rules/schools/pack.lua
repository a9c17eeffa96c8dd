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
}
