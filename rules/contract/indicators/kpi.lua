-- Direction of travel and target for each contract KPI. Its attributes say which way is
-- better (polarity: higher or lower), its unit, its target and how often it is measured
-- (frequency: termly or annual); its observations are `value` (one per term, dated by the
-- term's end) and `term` (the term's name, e.g. "Spring 2017").

local function better(e, a, b)   -- is a better than b for this KPI?
  if e.attr.polarity == "lower" then return a < b end
  return a > b
end

local function unit(e, x)
  if e.attr.unit == "%" then return format("%g%%", round(x, 1)) end
  return format("%g %s", round(x, 1), e.attr.unit or "")
end

-- The term's name for an observation (falls back to its date).
local function term(e, o)
  for _, t in ipairs(e:history("term")) do
    if t.date == o.date and t.text then return t.text end
  end
  return o.date
end

-- "improving", "declining" or "steady" from the term before to the latest; nil without
-- two figures.
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
    if not dir then
      local l = e:latest("value")
      if l and not l.value then
        return none(format("No figure for %s (%s): no direction of travel", term(e, l), l.text or "missing"),
                    { show = "–" })
      end
      return none("Only one figure so far: no direction of travel yet", { show = "–" })
    end
    local arrow = ({ improving = "↑ improving", declining = "↓ declining", steady = "→ steady" })[dir]
    return none(format("%s: %s (%s) to %s (%s)", dir:gsub("^%l", string.upper), unit(e, previous.value),
                       term(e, previous), unit(e, latest.value), term(e, latest)), { show = arrow })
  end,
}

indicator {
  id = "target",
  title = "Against target",
  evaluate = function(e)
    local latest = e:latest("value")
    if not latest then
      return concern(threshold.not_reported_points, "No figure reported yet", { show = "not reported" })
    end
    if not latest.value then
      local h, last = e:history("value"), nil
      for i = #h - 1, 1, -1 do
        if h[i].value then last = h[i] break end
      end
      return concern(threshold.not_reported_points,
        format("Not reported for %s (%s)%s", term(e, latest), latest.text or "missing",
               last and format("; last figure %s for %s", unit(e, last.value), term(e, last)) or ""),
        { show = "not reported" })
    end
    local target = tonumber(e.attr.target)
    if not target then return none("No numeric target in the contract", { show = "no target" }) end
    local v, lower = latest.value, e.attr.polarity == "lower"
    local reason = format("%s in %s; target %s %s", unit(e, v), term(e, latest),
                          lower and "at most" or "at least", unit(e, target))
    if (lower and v <= target) or (not lower and v >= target) then
      return none("Met: " .. reason, { show = "met" })
    end
    local gap = math.abs(v - target)
    if target ~= 0 and gap / math.abs(target) * 100 <= threshold.near_miss_percent then
      return concern(threshold.missed_improving_points,
        format("Near miss: %s (within %g%% of the target)", reason, threshold.near_miss_percent),
        { show = "near miss" })
    end
    local dir = direction(e)
    if dir == "improving" then
      return concern(threshold.missed_improving_points, "Not met but improving: " .. reason, { show = "not met" })
    end
    return serious(threshold.missed_not_improving_points,
                   format("Not met and %s: %s", dir or "no trend yet", reason), { show = "not met" })
  end,
}

indicator {
  id = "reported",
  title = "Latest figure on time",
  evaluate = function(e)
    local latest = e:latest("term") or e:latest("value")
    if not latest then return none("No figure reported yet") end
    local annual = e.attr.frequency == "annual"
    local limit = annual and threshold.annual_max_age_days or threshold.termly_max_age_days
    local age = days_between(latest.date, as_of)
    if age > limit then
      return watch(threshold.late_points,
        format("Latest figure is for %s (%s), %d days ago: a %s KPI should have a newer one (%d days allowed)",
               latest.text or latest.date, latest.date, age, annual and "yearly" or "termly", limit))
    end
    return none(format("Latest figure is for %s (%s)", latest.text or latest.date, latest.date))
  end,
}
