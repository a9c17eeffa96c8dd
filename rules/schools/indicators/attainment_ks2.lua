-- Key Stage 2 results for primary and all-through schools: below the floor standard, and
-- falling two years running. Results are dated at the end of their academic year
-- (2022/23 -> 2023-08-31); a suppressed result has no value and is skipped.

local KS2_PHASES = { ["Primary"] = true, ["Middle deemed primary"] = true, ["All-through"] = true }

-- A school with no phase in the data is assessed, to say its phase is not known.
local function applies(e)
  return is_open(e) and (phase_unknown(e) or KS2_PHASES[e.attr.phase] == true)
end

local function pct(v)
  if v == math.floor(v) then return format("%d%%", math.floor(v)) end
  return format("%.1f%%", v)
end

-- is_open, academic_year, on_date, latest_result and falling_two_years are in lib/.

indicator {
  id = "ks2_below_floor",
  title = "KS2 below the floor standard",
  applies = applies,
  evaluate = function(e)
    if phase_unknown(e) then return phase_not_known(e) end
    local o, why = latest_result(e, "ks2_rwm_expected", "KS2")
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
    if phase_unknown(e) then return phase_not_known(e) end
    return falling_two_years(e, "ks2_rwm_expected", "KS2", "KS2 reading, writing and maths at the expected standard",
      pct, threshold.ks2_fall_min_points, threshold.ks2_falling_points)
  end,
}
