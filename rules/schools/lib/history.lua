-- A school's history of one measure. Every indicator file can use these names.

-- Published (unsuppressed) observations of `measure`, oldest first.
function published(e, measure)
  local out = {}
  for _, o in ipairs(e:history(measure)) do
    if o.value then out[#out + 1] = o end
  end
  return out
end

-- The observation of `measure` dated `date` (e.g. the same inspection), or nil.
function on_date(e, measure, date)
  local h = e:history(measure)
  for i = #h, 1, -1 do
    if h[i].date == date then return h[i] end
  end
  return nil
end

-- The latest result of `measure` for key stage `stage` ("KS2"), or nil and the reason
-- none can be used: none published, suppressed, or too old.
function latest_result(e, measure, stage)
  local o = e:latest(measure)
  if not o then return nil, format("No %s results published for this school", stage) end
  if not o.value then
    return nil, format("Latest %s result (%s) not published: %s", stage, academic_year(o.date),
      o.text or "suppressed")
  end
  if too_old(o.date) then
    return nil, format("Latest %s result is from %s, too old to use", stage, academic_year(o.date))
  end
  return o
end

-- The last three published results of `measure`, oldest first, when the last is
-- `latest`; nil when there are fewer than three in a row.
local function last_three(e, measure, latest)
  local h = published(e, measure)
  local n = #h
  if n < 3 or h[n].date ~= latest.date then return nil end
  return h[n - 2], h[n - 1], h[n]
end

-- "Falling two years running", for any key stage: the last three published results of
-- `measure` fell each time, by `min_fall` or more in all, gives watch(points). `name`
-- says what the result is ("Progress 8"); `shown` writes one value ("-0.31", "62%").
function falling_two_years(e, measure, stage, name, shown, min_fall, points)
  local o, why = latest_result(e, measure, stage)
  if not o then return none(why) end
  local a, b, c = last_three(e, measure, o)
  if not a then return none(format("Fewer than three published %s results in a row", stage)) end
  local path = format("%s → %s → %s", shown(a.value), shown(b.value), shown(c.value))
  local fall = a.value - c.value
  if a.value > b.value and b.value > c.value and fall >= min_fall then
    return watch(points, format("%s down two results running (%s in %s, %s, %s), %g in all (threshold %g)",
      name, path, academic_year(a.date), academic_year(b.date), academic_year(c.date), round(fall, 2), min_fall))
  end
  return none(format("%s %s (%s to %s)", name, path, academic_year(a.date), academic_year(c.date)))
end
