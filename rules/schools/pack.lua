-- The default schools risk pack: one city-wide risk assessment for every open school,
-- whatever its type or phase. Each indicator in indicators/ adds points; the total score
-- places the school in a category (categories.lua). Tune the numbers in thresholds.lua.
pack {
  name = "schools",
  title = "City-wide risk assessment of schools",
  kind = "school",
  -- The measures the schools job provides (demo/demo.toml), so `vigil rules check` can name a
  -- misspelt one without data. Add a measure here when you add a source that provides it.
  measures = {
    -- the register (GIAS) and its links file
    "pupils", "capacity", "fsm_percent", "boys", "girls", "successor_urn", "predecessor_urn",
    "ofsted_rating_register", "ofsted_category_register",
    -- Ofsted inspections
    "ofsted_overall", "ofsted_overall_text", "ofsted_quality_of_education", "ofsted_behaviour_and_attitudes",
    "ofsted_personal_development", "ofsted_leadership", "ofsted_category_of_concern", "ofsted_safeguarding",
    "ofsted_inspection_number", "ofsted_inspection_type", "ofsted_ungraded_inspection_number",
    "ofsted_ungraded_inspection_type", "ofsted_ungraded_outcome",
    -- results, attendance and behaviour (explore education statistics)
    "ks2_rwm_expected", "ks2_rwm_higher", "ks2_reading_expected", "ks2_reading_progress", "ks2_maths_expected",
    "ks2_maths_progress", "ks4_attainment8", "ks4_progress8", "ks4_engmath_95", "ks4_ebacc_aps", "ks4_pupils",
    "absence_enrolments", "overall_absence", "persistent_absence",
    "exclusion_headcount", "exclusions_perm", "exclusion_perm_rate", "suspensions", "suspension_rate",
    "suspended_pupils_rate",
    -- the officer's spreadsheets
    "s175_status", "s175_received", "s175_actions_outstanding", "governance_risk", "governor_vacancy_rate",
    "governor_vacancies", "governor_places", "revenue_balance",
  },
  -- Closed establishments stay in the store (their history explains their successors)
  -- but are not assessed.
  applies = function(e) return e.attr.status ~= "Closed" end,
  -- The columns of the school lists, after the URN and name.
  columns = {
    { "Phase", attr = "phase" },
    { "Type", attr = "type" },
    { "Sector", attr = "sector" },
    { "District", attr = "district" },
    { "Ward", attr = "ward" },
    { "Pupils", latest = "pupils" },
    { "Ofsted", shows = "ofsted_judgement" },
    { "Last inspected", shows = "time_since_inspection" },
  },
  -- Headline figures: the authority's profile as the assessment sees it.
  summary = {
    { "Pupils in open schools", column = "Pupils", aggregate = "sum" },
    { "Maintained schools", column = "Sector", aggregate = "count", equals = "maintained" },
    { "Judged Outstanding", column = "Ofsted", aggregate = "count", equals = "Outstanding" },
    { "Judged Good", column = "Ofsted", aggregate = "count", equals = "Good" },
    { "Requires improvement", column = "Ofsted", aggregate = "count", equals = "Requires improvement" },
    { "Judged Inadequate", column = "Ofsted", aggregate = "count", equals = "Inadequate" },
    { "Not yet inspected", column = "Ofsted", aggregate = "count", equals = "Not inspected" },
    { "Good or outstanding, inspection 5+ years ago", column = "Last inspected", aggregate = "count",
      equals = "overdue" },
  },
}
