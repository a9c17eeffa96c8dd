-- Key Stage 4 results for secondary and all-through schools: Progress 8 below the watch
-- or concern level, coasting (below a level for three published years), and falling two
-- years running. Results are dated at the end of their academic year.

local KS4_PHASES = { ["Secondary"] = true, ["Middle deemed secondary"] = true, ["All-through"] = true }

-- A school with no phase in the data is assessed, to say its phase is not known.
local function applies(e)
  return is_open(e) and (phase_unknown(e) or KS4_PHASES[e.attr.phase] == true)
end

local function p8(v)
  return format("%+.2f", v)
end

-- is_open, academic_year, published, latest_result and falling_two_years are in lib/.

indicator {
  id = "ks4_progress8",
  title = "KS4 Progress 8",
  applies = applies,
  evaluate = function(e)
    if phase_unknown(e) then return phase_not_known(e) end
    local o, why = latest_result(e, "ks4_progress8", "KS4")
    if not o then return none(why) end
    local year = academic_year(o.date)
    if o.value < threshold.ks4_p8_concern then
      return concern(threshold.ks4_p8_concern_points,
        format("Progress 8 %s in %s (concern below %s)", p8(o.value), year, p8(threshold.ks4_p8_concern)))
    end
    if o.value < threshold.ks4_p8_watch then
      return watch(threshold.ks4_p8_watch_points,
        format("Progress 8 %s in %s (watch below %s)", p8(o.value), year, p8(threshold.ks4_p8_watch)))
    end
    return none(format("Progress 8 %s in %s", p8(o.value), year))
  end,
}

indicator {
  id = "ks4_coasting",
  title = "KS4 coasting: Progress 8 low for three years",
  applies = applies,
  evaluate = function(e)
    if phase_unknown(e) then return phase_not_known(e) end
    local o, why = latest_result(e, "ks4_progress8", "KS4")
    if not o then return none(why) end
    local h = published(e, "ks4_progress8")
    local years = threshold.ks4_coasting_years
    if #h < years or h[#h].date ~= o.date then
      return none(format("Fewer than %d published Progress 8 results", years))
    end
    local shown = {}
    for i = #h - years + 1, #h do
      if h[i].value >= threshold.ks4_coasting_p8 then
        return none(format("Progress 8 was %s in %s, not below %s every year",
          p8(h[i].value), academic_year(h[i].date), p8(threshold.ks4_coasting_p8)))
      end
      shown[#shown + 1] = format("%s in %s", p8(h[i].value), academic_year(h[i].date))
    end
    return concern(threshold.ks4_coasting_points,
      format("Coasting: Progress 8 below %s in each of the last %d published years (%s)",
        p8(threshold.ks4_coasting_p8), years, table.concat(shown, ", ")))
  end,
}

indicator {
  id = "ks4_falling",
  title = "KS4 Progress 8 falling two years running",
  applies = applies,
  evaluate = function(e)
    if phase_unknown(e) then return phase_not_known(e) end
    return falling_two_years(e, "ks4_progress8", "KS4", "Progress 8", p8, threshold.ks4_fall_min,
      threshold.ks4_falling_points)
  end,
}
