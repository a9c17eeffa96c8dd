-- Ofsted: the latest graded judgement, a category of concern, "stuck" schools, and
-- safeguarding found not effective. Only graded inspections carry a judgement: the ofsted
-- plugin gives them as ofsted_overall (1 Outstanding .. 4 Inadequate), dated by start date;
-- GIAS extracts up to 2019 also record the last one (ofsted_rating_register), which counts
-- where the Ofsted file has no inspection within a week of it (the file wins).

-- is_open, latest_graded, judgement_name and on_date are in lib/.

local function when(o)
  return format("%s, %.1f years ago%s", o.date, years_since(o.date), o.register and ", as the register records it" or "")
end

indicator {
  id = "ofsted_judgement",
  title = "Latest graded Ofsted judgement",
  applies = is_open,
  evaluate = function(e)
    local latest = latest_graded(e)
    if not latest then
      return none("No graded inspection on record (see time since inspection)", { show = "Not inspected" })
    end
    -- `show` is the judgement in the report's Ofsted column.
    local shown = { show = judgement_name(latest.value) }
    if latest.value >= 4 then
      return serious(threshold.ofsted_inadequate_points,
        format("Judged Inadequate at the inspection of %s", when(latest)), { force = "intensive", show = shown.show })
    end
    if latest.value >= 3 then
      return concern(threshold.ofsted_requires_improvement_points,
        format("Judged Requires improvement at the inspection of %s", when(latest)), shown)
    end
    return none(format("Judged %s at the inspection of %s", judgement_name(latest.value), when(latest)), shown)
  end,
}

indicator {
  id = "ofsted_category_of_concern",
  title = "Special measures or serious weaknesses",
  applies = is_open,
  evaluate = function(e)
    local latest = latest_graded(e)
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
    local latest, before = latest_graded(e)
    if not latest or latest.value < 3 or latest.value >= 4 then
      return none("Latest graded judgement is not Requires improvement")
    end
    if not before then
      return none(format("Requires improvement on %s, with no earlier graded inspection", latest.date))
    end
    if before.value >= 3 then
      return concern(threshold.ofsted_stuck_points,
        format("Requires improvement on %s and %s at the graded inspection before (%s)",
          latest.date, judgement_name(before.value), before.date))
    end
    return none(format("Requires improvement on %s, but %s before (%s)",
      latest.date, judgement_name(before.value), before.date))
  end,
}

indicator {
  id = "ofsted_safeguarding",
  title = "Ofsted found safeguarding not effective",
  applies = is_open,
  evaluate = function(e)
    local latest = latest_graded(e)
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
