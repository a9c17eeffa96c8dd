-- Ofsted: the latest graded judgement, a category of concern, "stuck" schools, and
-- safeguarding found not effective. Only graded inspections carry a judgement: the ofsted
-- plugin gives them as ofsted_overall (1 Outstanding .. 4 Inadequate), dated by start date;
-- GIAS extracts up to 2019 also record the last one (ofsted_rating_register), which counts
-- where the Ofsted file has no inspection within a week of it (the file wins).

local JUDGEMENT = { "Outstanding", "Good", "Requires improvement", "Inadequate" }

local function is_open(e)
  return e.attr.status ~= "Closed"
end

-- Graded inspections with a judgement, oldest first; those known only from the register
-- have `register = true`.
local function graded(e)
  local out = {}
  for _, o in ipairs(e:history("ofsted_overall")) do
    if o.value then out[#out + 1] = o end
  end
  local from_file = #out
  for _, o in ipairs(e:history("ofsted_rating_register")) do
    local known = false
    for i = 1, from_file do
      known = known or math.abs(days_between(out[i].date, o.date)) <= 7
    end
    if o.value and not known then
      o.register = true
      out[#out + 1] = o
    end
  end
  table.sort(out, function(a, b) return a.date < b.date end)
  return out
end

-- The text observation of `measure` made on `date` (the same inspection), or nil.
local function on_date(e, measure, date)
  local h = e:history(measure)
  for i = #h, 1, -1 do
    if h[i].date == date then return h[i] end
  end
  return nil
end

local function judgement(o)
  return JUDGEMENT[math.floor(o.value + 0.5)] or tostring(o.value)
end

local function when(o)
  return format("%s, %.1f years ago%s", o.date, years_since(o.date), o.register and ", as the register records it" or "")
end

indicator {
  id = "ofsted_judgement",
  title = "Latest graded Ofsted judgement",
  applies = is_open,
  evaluate = function(e)
    local g = graded(e)
    local latest = g[#g]
    if not latest then
      return none("No graded inspection on record (see time since inspection)", { show = "Not inspected" })
    end
    -- `show` is the judgement in the report's Ofsted column.
    local shown = { show = judgement(latest) }
    if latest.value >= 4 then
      return serious(threshold.ofsted_inadequate_points,
        format("Judged Inadequate at the inspection of %s", when(latest)), { force = "intensive", show = shown.show })
    end
    if latest.value >= 3 then
      return concern(threshold.ofsted_requires_improvement_points,
        format("Judged Requires improvement at the inspection of %s", when(latest)), shown)
    end
    return none(format("Judged %s at the inspection of %s", judgement(latest), when(latest)), shown)
  end,
}

indicator {
  id = "ofsted_category_of_concern",
  title = "Special measures or serious weaknesses",
  applies = is_open,
  evaluate = function(e)
    local g = graded(e)
    local latest = g[#g]
    if not latest then return none("No graded inspection on record") end
    local c = on_date(e, latest.register and "ofsted_category_register" or "ofsted_category_of_concern", latest.date)
    if c and c.text and c.text ~= "" and c.text ~= "NULL" then
      return serious(threshold.ofsted_category_of_concern_points,
        format("Placed in a category of concern (%s) at the inspection of %s", c.text, latest.date),
        { force = "intensive" })
    end
    return none(format("No category of concern at the inspection of %s", latest.date))
  end,
}

indicator {
  id = "ofsted_stuck",
  title = "Stuck: Requires improvement and below Good before",
  applies = is_open,
  evaluate = function(e)
    local g = graded(e)
    local latest, before = g[#g], g[#g - 1]
    if not latest or latest.value < 3 or latest.value >= 4 then
      return none("Latest graded judgement is not Requires improvement")
    end
    if not before then
      return none(format("Requires improvement on %s, with no earlier graded inspection", latest.date))
    end
    if before.value >= 3 then
      return concern(threshold.ofsted_stuck_points,
        format("Requires improvement on %s and %s at the graded inspection before (%s)",
          latest.date, judgement(before), before.date))
    end
    return none(format("Requires improvement on %s, but %s before (%s)",
      latest.date, judgement(before), before.date))
  end,
}

indicator {
  id = "ofsted_safeguarding",
  title = "Ofsted found safeguarding not effective",
  applies = is_open,
  evaluate = function(e)
    local g = graded(e)
    local latest = g[#g]
    if not latest then return none("No graded inspection on record") end
    local s = on_date(e, "ofsted_safeguarding", latest.date)
    if s and s.text == "No" then
      return serious(threshold.ofsted_safeguarding_points,
        format("Safeguarding judged not effective at the inspection of %s", latest.date),
        { force = "intensive" })
    end
    if s and s.text == "Yes" then
      return none(format("Safeguarding judged effective at the inspection of %s", latest.date))
    end
    return none(format("No safeguarding judgement recorded for the inspection of %s", latest.date))
  end,
}
