-- A risk's rating at its latest review (likelihood x impact, each scored 1 to 5), the band
-- the rating falls in, and its direction since the review before. The rating's points are
-- the rating itself, so the risk's category is its band (see categories.lua).

-- Every review that scored both likelihood and impact, oldest first:
-- { date = "2017-03-28", likelihood = 4, impact = 4, rating = 16 }.
local function reviews(e)
  local impact_on = {}
  for _, o in ipairs(e:history("impact")) do
    if o.value then impact_on[o.date] = o.value end
  end
  local out = {}
  for _, o in ipairs(e:history("likelihood")) do
    local impact = impact_on[o.date]
    if o.value and impact then
      out[#out + 1] = { date = o.date, likelihood = o.value, impact = impact, rating = o.value * impact }
    end
  end
  return out
end

-- The band's label and the wording of its range.
local function band(rating)
  if rating >= threshold.band_very_high then
    return "Very high", format("%g or more", threshold.band_very_high)
  elseif rating >= threshold.band_high then
    return "High", format("%g to %g", threshold.band_high, threshold.band_very_high - 1)
  elseif rating >= threshold.band_medium then
    return "Medium", format("%g to %g", threshold.band_medium, threshold.band_high - 1)
  end
  return "Low", format("below %g", threshold.band_medium)
end

-- The newest date on which either score was entered, even alone.
local function newest_score_date(e)
  local l, i = e:latest("likelihood"), e:latest("impact")
  local newest = l and l.date
  if i and (not newest or i.date > newest) then newest = i.date end
  return newest
end

local NOT_SCORED = "Not scored yet: no review has given both a likelihood and an impact"

indicator {
  id = "rating",
  title = "Rating (likelihood x impact)",
  evaluate = function(e)
    local r = reviews(e)
    if #r == 0 then return none(NOT_SCORED, { show = "–" }) end
    local last = r[#r]
    local label, range = band(last.rating)
    local reason = format("Likelihood %g x impact %g = %g at the review of %s (%s: %s)",
                          last.likelihood, last.impact, last.rating, last.date, label:lower(), range)
    local newest = newest_score_date(e)
    if newest and newest > last.date then
      reason = reason .. format("; the review of %s left the likelihood or the impact blank", newest)
    end
    local show = { show = format("%g", last.rating) }
    if label == "Very high" then return serious(last.rating, reason, show) end
    if label == "High" then return concern(last.rating, reason, show) end
    return watch(last.rating, reason, show)
  end,
}

indicator {
  id = "band",
  title = "Band",
  evaluate = function(e)
    local r = reviews(e)
    if #r == 0 then return none(NOT_SCORED, { show = "–" }) end
    local label, range = band(r[#r].rating)
    return none(format("Rating %g is in the %s band (%s)", r[#r].rating, label:lower(), range), { show = label })
  end,
}

indicator {
  id = "direction",
  title = "Direction since the last review",
  evaluate = function(e)
    local r = reviews(e)
    if #r < 2 then
      return none(#r == 0 and NOT_SCORED or format("First scored on %s: no earlier review to compare", r[1].date),
                  { show = "–" })
    end
    local now, before = r[#r], r[#r - 1]
    local change = now.rating - before.rating
    local wording = format("%g (%g x %g) on %s to %g (%g x %g) on %s", before.rating, before.likelihood,
                           before.impact, before.date, now.rating, now.likelihood, now.impact, now.date)
    if change >= threshold.direction_min_change then
      return watch(0, "Rising: " .. wording, { show = "↑ rising" })
    elseif -change >= threshold.direction_min_change then
      return none("Falling: " .. wording, { show = "↓ falling" })
    end
    return none("Same: " .. wording, { show = "→ same" })
  end,
}
