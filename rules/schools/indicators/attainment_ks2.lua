-- Key Stage 2 results for primary and all-through schools: below the floor standard, and
-- falling two years running. Results are dated at the end of their academic year
-- (2022/23 -> 2023-08-31); a suppressed result has no value and is skipped.

local KS2_PHASES = { ["Primary"] = true, ["Middle deemed primary"] = true, ["All-through"] = true }

-- A school with no phase in the data is assessed, to say its phase is not known.
local function applies(e)
  return e.attr.status ~= "Closed" and ((e.attr.phase or "") == "" or KS2_PHASES[e.attr.phase] == true)
end

-- Without a phase the thresholds cannot be chosen: the rule says so rather than guess.
local function phase_not_known(e)
  return none(format("phase not known: %s has no phase in the data (the GIAS register gives it), so no threshold was chosen", e.key))
end


-- "2023-08-31" -> "2022/23"
local function academic_year(date)
  local y, m = tonumber(date:sub(1, 4)), tonumber(date:sub(6, 7))
  if m <= 8 then y = y - 1 end
  return format("%d/%02d", y, (y + 1) % 100)
end

local function pct(v)
  if v == math.floor(v) then return format("%d%%", math.floor(v)) end
  return format("%.1f%%", v)
end

-- Published (unsuppressed) observations of a measure, oldest first.
local function published(e, measure)
  local out = {}
  for _, o in ipairs(e:history(measure)) do
    if o.value then out[#out + 1] = o end
  end
  return out
end

local function on_date(e, measure, date)
  local h = e:history(measure)
  for i = #h, 1, -1 do
    if h[i].date == date then return h[i] end
  end
  return nil
end

-- The latest result, or nil and a reason why none can be used.
local function latest_result(e)
  local o = e:latest("ks2_rwm_expected")
  if not o then return nil, "No KS2 results published for this school" end
  if not o.value then
    return nil, format("Latest KS2 result (%s) not published: %s", academic_year(o.date), o.text or "suppressed")
  end
  if years_since(o.date) > threshold.data_max_age_years then
    return nil, format("Latest KS2 result is from %s, too old to use", academic_year(o.date))
  end
  return o
end

indicator {
  id = "ks2_below_floor",
  title = "KS2 below the floor standard",
  applies = applies,
  evaluate = function(e)
    if (e.attr.phase or "") == "" then return phase_not_known(e) end
    local o, why = latest_result(e)
    if not o then return none(why) end
    local year = academic_year(o.date)
    if o.value >= threshold.ks2_floor_percent then
      return none(format("KS2 reading, writing and maths at the expected standard %s in %s (floor %s)",
        pct(o.value), year, pct(threshold.ks2_floor_percent)))
    end
    local weak = {}
    local reading = on_date(e, "ks2_reading_progress", o.date)
    local maths = on_date(e, "ks2_maths_progress", o.date)
    if reading and reading.value and reading.value < threshold.ks2_floor_reading_progress then
      weak[#weak + 1] = format("reading progress %.1f (floor %g)", reading.value, threshold.ks2_floor_reading_progress)
    end
    if maths and maths.value and maths.value < threshold.ks2_floor_maths_progress then
      weak[#weak + 1] = format("maths progress %.1f (floor %g)", maths.value, threshold.ks2_floor_maths_progress)
    end
    if #weak > 0 then
      return concern(threshold.ks2_below_floor_points,
        format("KS2 reading, writing and maths at the expected standard %s in %s (floor %s), with %s",
          pct(o.value), year, pct(threshold.ks2_floor_percent), table.concat(weak, " and ")))
    end
    return none(format("KS2 reading, writing and maths at the expected standard %s in %s, below %s, "
      .. "but progress in reading and maths is above the floor", pct(o.value), year, pct(threshold.ks2_floor_percent)))
  end,
}

indicator {
  id = "ks2_falling",
  title = "KS2 results falling two years running",
  applies = applies,
  evaluate = function(e)
    if (e.attr.phase or "") == "" then return phase_not_known(e) end
    local o, why = latest_result(e)
    if not o then return none(why) end
    local h = published(e, "ks2_rwm_expected")
    local n = #h
    if n < 3 or h[n].date ~= o.date then
      return none("Fewer than three published KS2 results in a row")
    end
    local a, b, c = h[n - 2], h[n - 1], h[n]
    local fall = a.value - c.value
    if a.value > b.value and b.value > c.value and fall >= threshold.ks2_fall_min_points then
      return watch(threshold.ks2_falling_points,
        format("KS2 reading, writing and maths at the expected standard down two results running "
          .. "(%s → %s → %s in %s, %s, %s), %g points in all (threshold %g)",
          pct(a.value), pct(b.value), pct(c.value), academic_year(a.date), academic_year(b.date),
          academic_year(c.date), fall, threshold.ks2_fall_min_points))
    end
    return none(format("KS2 reading, writing and maths at the expected standard %s → %s → %s (%s to %s)",
      pct(a.value), pct(b.value), pct(c.value), academic_year(a.date), academic_year(c.date)))
  end,
}
