-- Ofsted's inspections of a school, of every kind, and which schools are assessed at all.
-- Every indicator file can use these names.
--
-- Ofsted has inspected under three frameworks (see plugins/ofsted/README.md):
--   * to August 2024, graded inspections with an overall judgement (ofsted_overall:
--     1 Outstanding .. 4 Inadequate) and ungraded ones that leave it in place;
--   * September 2024 to November 2025, inspections graded in each area (quality of
--     education, leadership, ...) but "Not judged" overall (ofsted_overall_text);
--   * from 10 November 2025, report cards: each area graded 1 Exceptional .. 5 Urgent
--     improvement (ofsted_rc_*), safeguarding standards Met / Not met.
-- The rules look at the most recent inspection of any kind, and say which kind it was.

local JUDGEMENT = { "Outstanding", "Good", "Requires improvement", "Inadequate" }
local REPORT_CARD_GRADE = { "Exceptional", "Strong standard", "Expected standard", "Needs attention",
                            "Urgent improvement" }

-- The areas graded at inspections without an overall judgement (September 2024 to
-- November 2025), worst first when equal, with the words a reason uses.
local AREAS = {
  { "ofsted_leadership", "leadership" },
  { "ofsted_quality_of_education", "quality of education" },
  { "ofsted_behaviour_and_attitudes", "behaviour and attitudes" },
  { "ofsted_personal_development", "personal development" },
  { "ofsted_early_years", "early years" },
  { "ofsted_sixth_form", "sixth form" },
}

-- A report card's areas.
local REPORT_CARD_AREAS = {
  { "ofsted_rc_leadership_and_governance", "leadership and governance" },
  { "ofsted_rc_inclusion", "inclusion" },
  { "ofsted_rc_curriculum_and_teaching", "curriculum and teaching" },
  { "ofsted_rc_achievement", "achievement" },
  { "ofsted_rc_attendance_and_behaviour", "attendance and behaviour" },
  { "ofsted_rc_personal_development_and_wellbeing", "personal development and wellbeing" },
  { "ofsted_rc_early_years", "early years" },
  { "ofsted_rc_post_16", "post-16 provision" },
}

-- Whether `list` (a list in thresholds.lua) holds `value`.
local function listed(list, value)
  for _, v in ipairs(list) do
    if v == value then return true end
  end
  return false
end

-- Whether the pack assesses a school: open, and of a type the council supports
-- (thresholds.not_supported_types, thresholds.not_supported_type_groups). The second
-- result says why a school is left out; `vigil explain` shows it.
function assessed_school(e)
  if e.attr.status == "Closed" then return false, "closed: its history stays in the store for its successors" end
  local type, group = e.attr.type or "", e.attr.type_group or ""
  if listed(threshold.not_supported_types, type) then
    return false, format("%s: a type of establishment the council does not support "
      .. "(not_supported_types in thresholds.lua)", type)
  end
  if listed(threshold.not_supported_type_groups, group) then
    return false, format("%s (%s): a group of establishments the council does not support "
      .. "(not_supported_type_groups in thresholds.lua)", type ~= "" and type or "no type", group)
  end
  return true
end

-- Closed establishments stay in the store but are not assessed.
function is_open(e)
  return e.attr.status ~= "Closed"
end

-- 3 -> "Requires improvement"
function judgement_name(value)
  return JUDGEMENT[math.floor(value + 0.5)] or tostring(value)
end

-- 5 -> "Urgent improvement"
function report_card_grade_name(value)
  return REPORT_CARD_GRADE[math.floor(value + 0.5)] or tostring(value)
end

-- How far apart, in days, two records may be and still be the same inspection: the
-- register sometimes gives another day of it, and a report card dates each area's grade.
local SAME_INSPECTION_DAYS = 7

-- Graded inspections with an overall judgement, oldest first: those in the Ofsted file
-- (ofsted_overall), and those known only from a GIAS extract's own Ofsted columns
-- (ofsted_rating_register, up to 2019), marked `register = true`. Where both record the
-- same inspection, the Ofsted file wins.
function graded(e)
  local out = published(e, "ofsted_overall")
  local from_file = #out
  for _, o in ipairs(e:history("ofsted_rating_register")) do
    local known = false
    for i = 1, from_file do
      known = known or math.abs(days_between(out[i].date, o.date)) <= SAME_INSPECTION_DAYS
    end
    if o.value and not known then
      out[#out + 1] = { value = o.value, date = o.date, text = o.text, register = true }
    end
  end
  table.sort(out, function(a, b) return a.date < b.date end)
  return out
end

-- The latest graded inspection with an overall judgement and the one before it (either may be nil).
function latest_graded(e)
  local g = graded(e)
  return g[#g], g[#g - 1]
end

-- Every measure that records something found at an inspection, and what it says of its
-- kind: "areas" (graded areas, no overall judgement), "report card", "ungraded", or
-- "any" (found at inspections of every kind: a monitoring visit may record a category).
local INSPECTION_MEASURES = {
  ofsted_overall_text = "areas", ofsted_inspection_number = "any", ofsted_category_of_concern = "any",
  ofsted_safeguarding = "any", ofsted_safeguarding_standards = "report card",
  ofsted_ungraded_outcome = "ungraded", ofsted_ungraded_inspection_number = "ungraded",
  ofsted_ungraded_inspection_type = "ungraded",
}
for _, a in ipairs(AREAS) do INSPECTION_MEASURES[a[1]] = "areas" end
for _, a in ipairs(REPORT_CARD_AREAS) do INSPECTION_MEASURES[a[1]] = "report card" end

-- Every inspection on record, oldest first, each a table:
--   date        its (first) date
--   kind        "graded" (an overall judgement), "not judged" (areas graded, no overall
--               judgement: September 2024 to November 2025), "report card" or "ungraded"
--   overall     the graded judgement (for "graded"), from the Ofsted file or the register
--   found       measure -> the observation recorded at this inspection
function inspections(e)
  local records = {}
  for measure, _ in next, INSPECTION_MEASURES do
    for _, o in ipairs(e:history(measure)) do records[#records + 1] = { measure = measure, o = o } end
  end
  for _, g in ipairs(graded(e)) do
    records[#records + 1] = { measure = g.register and "ofsted_rating_register" or "ofsted_overall", o = g }
  end
  table.sort(records, function(a, b)
    if a.o.date ~= b.o.date then return a.o.date < b.o.date end
    return a.measure < b.measure
  end)
  local out = {}
  for _, r in ipairs(records) do
    local last = out[#out]
    if not last or days_between(last.date, r.o.date) > SAME_INSPECTION_DAYS then
      last = { date = r.o.date, found = {} }
      out[#out + 1] = last
    end
    last.found[r.measure] = r.o
  end
  for _, i in ipairs(out) do
    local f = i.found
    local overall = f.ofsted_overall or f.ofsted_rating_register
    local says = {}
    for measure, _ in next, f do says[INSPECTION_MEASURES[measure] or "graded"] = true end
    if overall then
      i.kind, i.overall, i.register = "graded", overall.value, overall.register
    elseif says["report card"] then
      i.kind = "report card"
    elseif says.areas then
      i.kind = "not judged"
    elseif says.ungraded then
      i.kind = "ungraded"
    else
      i.kind = "not judged"  -- an inspection number with nothing graded: not an ungraded one
    end
  end
  return out
end

-- The latest inspection of any kind (nil if none), and the latest one that judged the
-- school (any kind but ungraded; nil if none).
function latest_inspection(e)
  local all = inspections(e)
  local judged
  for i = #all, 1, -1 do
    if all[i].kind ~= "ungraded" then judged = all[i]; break end
  end
  return all[#all], judged
end

-- The worst grade of an inspection's areas: (value, "leadership 4 Inadequate, quality of
-- education 3 Requires improvement, ..."), worst first; nil when it graded none.
function worst_area(inspection)
  local areas = inspection.kind == "report card" and REPORT_CARD_AREAS or AREAS
  local name = inspection.kind == "report card" and report_card_grade_name or judgement_name
  local graded_areas = {}
  for _, a in ipairs(areas) do
    local o = inspection.found[a[1]]
    if o and o.value then graded_areas[#graded_areas + 1] = { value = o.value, words = a[2] } end
  end
  if #graded_areas == 0 then return nil end
  table.sort(graded_areas, function(a, b) return a.value > b.value end)
  local parts = {}
  for _, a in ipairs(graded_areas) do
    parts[#parts + 1] = format("%s %d %s", a.words, math.floor(a.value + 0.5), name(a.value))
  end
  return graded_areas[1].value, table.concat(parts, ", ")
end

-- How a reason names an inspection: "2025-01-15 (not judged overall: leadership 4
-- Inadequate, ...)", "2025-11-20 (report card: inclusion 5 Urgent improvement, ...)",
-- "2024-03-01 (ungraded: School remains Good)", "2018-05-01 (judged Good)".
function describe_inspection(i)
  if i.kind == "graded" then
    return format("%s (judged %s%s)", i.date, judgement_name(i.overall), i.register and ", as the register records it" or "")
  end
  if i.kind == "ungraded" then
    local outcome = i.found.ofsted_ungraded_outcome
    return format("%s (ungraded%s)", i.date, outcome and outcome.text and (": " .. outcome.text) or "")
  end
  local _, areas = worst_area(i)
  local label = i.kind == "report card" and "report card" or "not judged overall"
  return format("%s (%s%s)", i.date, label, areas and (": " .. areas) or "")
end
