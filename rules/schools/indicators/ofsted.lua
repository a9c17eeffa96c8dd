-- Ofsted: the most recent inspection's findings, a category of concern, "stuck" schools, and
-- safeguarding found not effective. The most recent inspection of any kind counts:
--   * graded (to August 2024): the overall judgement, ofsted_overall (1 Outstanding ..
--     4 Inadequate); GIAS extracts up to 2019 also record the last one
--     (ofsted_rating_register), which counts where the Ofsted file has no inspection within
--     a week of it (the file wins);
--   * September 2024 to November 2025: "Not judged" overall, each area graded 1-4;
--   * report cards (from November 2025): each area graded 1 Exceptional .. 5 Urgent
--     improvement, safeguarding standards Met / Not met;
--   * ungraded inspections leave the judgement of the one before in place.
-- A reason names the inspection it used and, when that inspection gave no overall
-- judgement, the last graded judgement too.

-- is_open, inspections, latest_inspection, latest_graded, worst_area,
-- describe_inspection and judgement_name are in lib/.

local function when(i)
  return format("%s, %.1f years ago%s", i.date, years_since(i.date), i.register and ", as the register records it" or "")
end

-- "; last graded judgement Good in 2018" (or that there is none).
local function last_graded_words(e)
  local g = latest_graded(e)
  if not g then return "; no graded judgement on record before it" end
  return format("; last graded judgement %s in %s", judgement_name(g.value), g.date:sub(1, 4))
end

-- "; latest inspection 2024-03-01 (ungraded: School remains Good)" when an ungraded
-- inspection came after the one that judged the school.
local function since_words(last, judged)
  if last == judged then return "" end
  return format("; latest inspection %s", describe_inspection(last))
end

indicator {
  id = "ofsted_judgement",
  title = "Latest Ofsted inspection's findings",
  applies = is_open,
  evaluate = function(e)
    local last, judged = latest_inspection(e)
    if not judged then
      if last then
        return none(format("No graded inspection on record; latest inspection %s", describe_inspection(last)),
          { show = "Not inspected" })
      end
      return none("No graded inspection on record (see time since inspection)", { show = "Not inspected" })
    end
    local since = since_words(last, judged)
    if judged.kind == "graded" then
      -- `show` is the judgement in the report's Ofsted column.
      local name = judgement_name(judged.overall)
      if judged.overall >= 4 then
        return serious(threshold.ofsted_inadequate_points,
          format("Judged Inadequate at the inspection of %s%s", when(judged), since),
          { force = "intensive", show = name })
      end
      if judged.overall >= 3 then
        return concern(threshold.ofsted_requires_improvement_points,
          format("Judged Requires improvement at the inspection of %s%s", when(judged), since), { show = name })
      end
      return none(format("Judged %s at the inspection of %s%s", name, when(judged), since), { show = name })
    end
    local worst = worst_area(judged)
    local text = format("Latest inspection %s%s%s", describe_inspection(judged), last_graded_words(e), since)
    if judged.kind == "report card" then
      local shown = { show = "Report card" }
      if worst and worst >= 5 then
        return serious(threshold.ofsted_report_card_urgent_improvement_points, text,
          { force = "intensive", show = "Report card: Urgent improvement" })
      end
      if worst and worst >= 4 then
        return concern(threshold.ofsted_report_card_needs_attention_points, text,
          { show = "Report card: Needs attention" })
      end
      return none(text, shown)
    end
    if worst and worst >= 4 then
      return serious(threshold.ofsted_area_inadequate_points, text,
        { force = "intensive", show = "Not judged overall" })
    end
    if worst and worst >= 3 then
      return concern(threshold.ofsted_area_requires_improvement_points, text, { show = "Not judged overall" })
    end
    return none(text, { show = "Not judged overall" })
  end,
}

indicator {
  id = "ofsted_category_of_concern",
  title = "Special measures or serious weaknesses",
  applies = is_open,
  evaluate = function(e)
    local _, judged = latest_inspection(e)
    if not judged then return none("No graded inspection on record") end
    local c = judged.found.ofsted_category_of_concern
    if judged.register then c = on_date(e, "ofsted_category_register", judged.date) end
    if c and c.text and c.text ~= "" and c.text ~= "NULL" then
      return serious(threshold.ofsted_category_of_concern_points,
        format("Placed in a category of concern (%s) at the inspection of %s", c.text, judged.date),
        { force = "intensive" })
    end
    return none(format("No category of concern at the inspection of %s", judged.date))
  end,
}

indicator {
  id = "ofsted_stuck",
  title = "Stuck: Requires improvement and below Good before",
  applies = is_open,
  evaluate = function(e)
    local _, judged = latest_inspection(e)
    if judged and judged.kind ~= "graded" then
      return none(format("Latest inspection %s gave no overall judgement", describe_inspection(judged)))
    end
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
    local all = inspections(e)
    if #all == 0 then return none("No inspection on record") end
    -- The most recent inspection that recorded a safeguarding finding, and any after it
    -- that recorded none (an ungraded inspection, say).
    for n = #all, 1, -1 do
      local i = all[n]
      local effective, standards = i.found.ofsted_safeguarding, i.found.ofsted_safeguarding_standards
      if (effective and effective.text) or (standards and standards.text) then
        local later = n < #all and format("; no safeguarding finding recorded at the later inspection %s",
          describe_inspection(all[#all])) or ""
        if standards and standards.text == "Not met" then
          return serious(threshold.ofsted_safeguarding_points,
            format("Safeguarding standards Not met at the inspection of %s%s", describe_inspection(i), later),
            { force = "intensive" })
        end
        if effective and effective.text == "No" then
          return serious(threshold.ofsted_safeguarding_points,
            format("Safeguarding judged not effective at the inspection of %s%s", describe_inspection(i), later),
            { force = "intensive" })
        end
        local found = standards and standards.text and format("standards %s", standards.text)
          or format("judged effective")
        return none(format("Safeguarding %s at the inspection of %s%s", found, i.date, later))
      end
    end
    return none(format("No safeguarding finding recorded at any inspection (latest %s)", all[#all].date))
  end,
}
