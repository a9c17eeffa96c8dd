-- Direction of travel and target for each KPI. A KPI's attributes say which
-- way is better (polarity: higher or lower) and how its target works
-- (target_rule: at_least, at_most, national = in line with national,
-- above_national); its observations are `value` and the comparators
-- `national`, `statistical_neighbours` and `core_cities`.

local function better(e, a, b)   -- is a better than b for this KPI?
  if e.attr.polarity == "lower" then return a < b end
  return a > b
end

local function unit(e, x)
  if e.attr.unit == "%" then return format("%g%%", round(x, 1)) end
  return format("%g %s", round(x, 1), e.attr.unit or "")
end

-- "improving", "declining" or "steady", with the reason's wording.
local function direction(e)
  local latest, previous = e:latest("value"), e:previous("value")
  if not latest or not latest.value or not previous or not previous.value then return nil end
  local change = latest.value - previous.value
  if math.abs(change) < threshold.no_change_within then return "steady", latest, previous end
  if better(e, latest.value, previous.value) then return "improving", latest, previous end
  return "declining", latest, previous
end

indicator {
  id = "direction",
  title = "Direction of travel",
  evaluate = function(e)
    local dir, latest, previous = direction(e)
    if not dir then return none("Only one value so far: no direction of travel yet", { show = "–" }) end
    local arrow = ({ improving = "↑ improving", declining = "↓ declining", steady = "→ steady" })[dir]
    return none(format("%s: %s (%s) to %s (%s)", dir:gsub("^%l", string.upper), unit(e, previous.value),
                       previous.date, unit(e, latest.value), latest.date), { show = arrow })
  end,
}

indicator {
  id = "target",
  title = "Target",
  -- The Target column shows the target with the verdict: "not met (at least 90%)".
  evaluate = function(e)
    local latest = e:latest("value")
    if not latest or not latest.value then return none("No value yet", { show = "–" }) end
    local rule, v = e.attr.target_rule, latest.value
    local met, wording, target_text
    if rule == "at_least" or rule == "at_most" then
      local target = tonumber(e.attr.target)
      if not target then return none("No numeric target set", { show = "none" }) end
      met = (rule == "at_least" and v >= target) or (rule == "at_most" and v <= target)
      target_text = format("%s %s", rule == "at_least" and "at least" or "at most", unit(e, target))
      wording = "target " .. target_text
    else
      local national = e:value("national")
      if not national then return none("No national figure to compare with", { show = "no comparator" }) end
      if rule == "national" then
        met = better(e, v, national) or math.abs(v - national) <= threshold.in_line_tolerance
        target_text = format("in line with national %s", unit(e, national))
        wording = format("target in line with national (%s, within %s points)", unit(e, national),
                         threshold.in_line_tolerance)
      else
        met = better(e, v, national)
        target_text = format("above national %s", unit(e, national))
        wording = format("target above national (%s)", unit(e, national))
      end
    end
    local period = e:latest("period")
    local reason = format("%s in %s; %s", unit(e, v), period and period.text or latest.date, wording)
    if met then return none("Met: " .. reason, { show = format("met (%s)", target_text) }) end
    local shown = { show = format("not met (%s)", target_text) }
    local dir = direction(e)
    if dir == "improving" then
      return concern(threshold.missed_improving_points, "Not met but improving: " .. reason, shown)
    end
    return serious(threshold.missed_not_improving_points,
                   format("Not met and %s: %s", dir or "no trend yet", reason), shown)
  end,
}
