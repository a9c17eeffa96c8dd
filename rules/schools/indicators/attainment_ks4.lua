-- Key Stage 4 results for secondary and all-through schools: Progress 8 below the watch
-- or concern level, coasting (below a level for three published years), and falling two
-- years running. Results are dated at the end of their academic year.

local KS4_PHASES = { ["Secondary"] = true, ["Middle deemed secondary"] = true, ["All-through"] = true }

-- A school with no phase in the data is assessed, to say its phase is not known.
local function applies(e)
  return e.attr.status ~= "Closed" and ((e.attr.phase or "") == "" or KS4_PHASES[e.attr.phase] == true)
end

-- Without a phase the thresholds cannot be chosen: the rule says so rather than guess.
local function phase_not_known(e)
  return none(format("phase not known: %s has no phase in the data (the GIAS register gives it), so no threshold was chosen", e.key))
end


local function academic_year(date)
  local y, m = tonumber(date:sub(1, 4)), tonumber(date:sub(6, 7))
  if m <= 8 then y = y - 1 end
  return format("%d/%02d", y, (y + 1) % 100)
end

local function p8(v)
  return format("%+.2f", v)
end

local function published(e, measure)
  local out = {}
  for _, o in ipairs(e:history(measure)) do
    if o.value then out[#out + 1] = o end
  end
  return out
end

local function latest_result(e)
  local o = e:latest("ks4_progress8")
  if not o then return nil, "No KS4 results published for this school" end
  if not o.value then
    return nil, format("Latest KS4 result (%s) not published: %s", academic_year(o.date), o.text or "suppressed")
  end
  if years_since(o.date) > threshold.data_max_age_years then
    return nil, format("Latest KS4 result is from %s, too old to use", academic_year(o.date))
  end
  return o
end

indicator {
  id = "ks4_progress8",
  title = "KS4 Progress 8",
  applies = applies,
  evaluate = function(e)
    if (e.attr.phase or "") == "" then return phase_not_known(e) end
    local o, why = latest_result(e)
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
    if (e.attr.phase or "") == "" then return phase_not_known(e) end
    local o, why = latest_result(e)
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
    if (e.attr.phase or "") == "" then return phase_not_known(e) end
    local o, why = latest_result(e)
    if not o then return none(why) end
    local h = published(e, "ks4_progress8")
    local n = #h
    if n < 3 or h[n].date ~= o.date then
      return none("Fewer than three published Progress 8 results in a row")
    end
    local a, b, c = h[n - 2], h[n - 1], h[n]
    local fall = a.value - c.value
    if a.value > b.value and b.value > c.value and fall >= threshold.ks4_fall_min then
      return watch(threshold.ks4_falling_points,
        format("Progress 8 down two results running (%s → %s → %s in %s, %s, %s), %.2f in all (threshold %.2f)",
          p8(a.value), p8(b.value), p8(c.value), academic_year(a.date), academic_year(b.date),
          academic_year(c.date), fall, threshold.ks4_fall_min))
    end
    return none(format("Progress 8 %s → %s → %s (%s to %s)", p8(a.value), p8(b.value), p8(c.value),
      academic_year(a.date), academic_year(c.date)))
  end,
}
