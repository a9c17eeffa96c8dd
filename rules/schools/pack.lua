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
    -- Ofsted inspections
    "ofsted_overall", "ofsted_quality_of_education", "ofsted_behaviour_and_attitudes",
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
  -- Measures the rules read only when a source provides them: a job without them is
  -- fine (no error from `vigil rules check`, no warning in a run). The register's own
  -- Ofsted columns (GIAS extracts up to April 2025), inspections with no overall
  -- judgement (September 2024 to November 2025) and report cards (from November 2025)
  -- are not in every job's files.
  optional_measures = {
    "ofsted_rating_register", "ofsted_category_register", "ofsted_overall_text", "ofsted_early_years",
    "ofsted_sixth_form", "ofsted_safeguarding_standards", "ofsted_rc_inclusion", "ofsted_rc_curriculum_and_teaching",
    "ofsted_rc_achievement", "ofsted_rc_attendance_and_behaviour", "ofsted_rc_personal_development_and_wellbeing",
    "ofsted_rc_early_years", "ofsted_rc_post_16", "ofsted_rc_leadership_and_governance",
  },
  -- Which establishments are assessed: open ones of a type the council supports.
  -- Closed establishments stay in the store (their history explains their successors);
  -- independent schools, colleges and the other types listed in thresholds.lua
  -- (not_supported_types, not_supported_type_groups) are left out. `vigil explain`
  -- says why a school is not assessed.
  applies = function(e) return assessed_school(e) end,
  -- What the report calls a school's key.
  key_title = "URN",
  -- The columns of the school lists, after the URN and name. `print = false` leaves a
  -- column out when the report is printed on A4, where the reasons need the room.
  columns = {
    { "Phase", attr = "phase" },
    { "Type", attr = "type", print = false },
    { "Sector", attr = "sector", print = false },
    { "District", attr = "district" },
    { "Ward", attr = "ward", print = false },
    { "Pupils", latest = "pupils" },
    { "Ofsted", shows = "ofsted_judgement" },
    { "Last inspected", shows = "time_since_inspection" },
  },
  -- Charts on each school's page: a measure's history, with a dashed line at each
  -- threshold the school's own rules used (a primary school's absence chart shows the
  -- primary thresholds). `scale` multiplies a line by a number or by another threshold.
  charts = {
    { "KS2: reading, writing and maths at the expected standard", measure = "ks2_rwm_expected", unit = "%",
      lines = { { "floor", threshold = "ks2_floor_percent" } } },
    { "Progress 8", measure = "ks4_progress8",
      lines = { { "watch", threshold = "ks4_p8_watch" }, { "concern", threshold = "ks4_p8_concern" } } },
    { "Persistent absence", measure = "persistent_absence", unit = "%",
      lines = {
        { "watch", threshold = "persistent_absence_watch_primary" },
        { "concern", threshold = "persistent_absence_concern_primary" },
        { "watch", threshold = "persistent_absence_watch_secondary" },
        { "concern", threshold = "persistent_absence_concern_secondary" },
        { "watch", threshold = "persistent_absence_watch_special" },
        { "concern", threshold = "persistent_absence_concern_special" },
      } },
    { "Permanent exclusions per 100 pupils", measure = "exclusion_perm_rate",
      lines = {
        { "watch", threshold = "perm_excl_rate_primary" },
        { "watch", threshold = "perm_excl_rate_secondary" },
        { "watch", threshold = "perm_excl_rate_special" },
        { "watch", threshold = "perm_excl_rate_ap" },
        { "concern", threshold = "perm_excl_rate_primary", scale = "exclusions_concern_multiple" },
        { "concern", threshold = "perm_excl_rate_secondary", scale = "exclusions_concern_multiple" },
        { "concern", threshold = "perm_excl_rate_special", scale = "exclusions_concern_multiple" },
        { "concern", threshold = "perm_excl_rate_ap", scale = "exclusions_concern_multiple" },
      } },
    { "Suspensions per 100 pupils", measure = "suspension_rate",
      lines = {
        { "watch", threshold = "suspension_rate_primary" },
        { "watch", threshold = "suspension_rate_secondary" },
        { "watch", threshold = "suspension_rate_special" },
        { "watch", threshold = "suspension_rate_ap" },
        { "concern", threshold = "suspension_rate_primary", scale = "exclusions_concern_multiple" },
        { "concern", threshold = "suspension_rate_secondary", scale = "exclusions_concern_multiple" },
        { "concern", threshold = "suspension_rate_special", scale = "exclusions_concern_multiple" },
        { "concern", threshold = "suspension_rate_ap", scale = "exclusions_concern_multiple" },
      } },
    { "Revenue balance at the financial year end", measure = "revenue_balance", unit = "£",
      lines = { { "deficit below", value = 0 }, { "concern", threshold = "deficit_concern_pounds", scale = -1 } } },
  },
  -- Each school's Ofsted inspections as a timeline on its page.
  timeline = { "Ofsted graded inspections", measure = "ofsted_overall",
               values = { "Outstanding", "Good", "Requires improvement", "Inadequate" } },
  -- Headline figures: the authority's profile as the assessment sees it.
  summary = {
    { "Pupils in open schools", column = "Pupils", aggregate = "sum" },
    { "Maintained schools", column = "Sector", aggregate = "count", equals = "maintained" },
    { "Judged Outstanding", column = "Ofsted", aggregate = "count", equals = "Outstanding" },
    { "Judged Good", column = "Ofsted", aggregate = "count", equals = "Good" },
    { "Requires improvement", column = "Ofsted", aggregate = "count", equals = "Requires improvement" },
    { "Judged Inadequate", column = "Ofsted", aggregate = "count", equals = "Inadequate" },
    { "Not yet inspected", column = "Ofsted", aggregate = "count", equals = "Not inspected" },
    { "Inspection overdue (last one 5+ years ago)", column = "Last inspected", aggregate = "count",
      ends_with = "(overdue)" },
  },
}
