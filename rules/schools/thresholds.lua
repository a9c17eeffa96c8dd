-- Every number an officer may tune, one per line. After a change, run
-- `vigil rules check rules/schools` (it names the file and line of any mistake), then run
-- the job and use `vigil explain` to see why a school has its category.
-- Points add up to a school's score: 25 or more is Targeted support, 60 or more
-- Intensive support (see categories.lua).
return {
  ---------------------------------------------------------------------------------------
  -- Which establishments the council supports

  -- Open establishments of these types (the register's TypeOfEstablishment, spelt as GIAS
  -- spells it) are not assessed: the council does not support them. They are left out of
  -- the lists and headline figures; `vigil explain` says why. Add or remove a type here.
  not_supported_types = {
    "Other independent school", "Other independent special school", "Further education",
    "Sixth form centres", "Higher education institutions", "Online provider", "Welsh establishment",
    "Miscellaneous", "Offshore schools", "British schools overseas", "Secure units",
    "Service children's education", "Institution funded by other government department",
    "Special post 16 institution",
  },
  -- Open establishments in these groups (the register's EstablishmentTypeGroup) are not
  -- assessed either, whatever their type.
  not_supported_type_groups = {
    "Independent schools", "Colleges", "Universities", "Welsh schools", "Online provider",
  },

  ---------------------------------------------------------------------------------------
  -- Ofsted judgements (the most recent inspection of any kind)

  -- Points when the latest graded inspection judged the school Inadequate; it also forces
  -- Intensive support whatever the other indicators say.
  ofsted_inadequate_points = 60,
  -- Points when the latest graded inspection judged the school Requires improvement.
  ofsted_requires_improvement_points = 30,
  -- Extra points when the latest graded inspection placed the school in special measures
  -- or found serious weaknesses (a category of concern).
  ofsted_category_of_concern_points = 20,
  -- Extra points for a "stuck" school: Requires improvement now and below Good at the
  -- graded inspection before.
  ofsted_stuck_points = 15,
  -- Points when the most recent inspection that looked at safeguarding found it not
  -- effective (or, on a report card, safeguarding standards Not met); it also forces
  -- Intensive support.
  ofsted_safeguarding_points = 60,
  -- Inspections from September 2024 to November 2025 grade each area but give no overall
  -- judgement. Points when the worst area was graded Inadequate (4); it also forces
  -- Intensive support.
  ofsted_area_inadequate_points = 60,
  -- Points when the worst area was graded Requires improvement (3).
  ofsted_area_requires_improvement_points = 30,
  -- Report cards (from November 2025) grade each area from Exceptional to Urgent
  -- improvement. Points when any area is graded Urgent improvement; it also forces
  -- Intensive support.
  ofsted_report_card_urgent_improvement_points = 60,
  -- Points when any area is graded Needs attention (and none Urgent improvement).
  ofsted_report_card_needs_attention_points = 30,

  ---------------------------------------------------------------------------------------
  -- Time since inspection

  -- A school whose most recent inspection of any kind (graded, ungraded or a report card)
  -- is this many years old or more is flagged as due for inspection, unless that
  -- inspection judged it Requires improvement or Inadequate (those are re-inspected sooner
  -- and already score points).
  inspection_overdue_years = 5,
  -- Points for a school overdue for inspection.
  inspection_overdue_points = 10,
  -- A school open for more than this many years with no inspection of any kind is flagged.
  never_inspected_years = 3,
  -- Points for a school open that long and never inspected.
  never_inspected_points = 10,

  ---------------------------------------------------------------------------------------
  -- How old data may be before an indicator ignores it

  -- Results, attendance, exclusions, audits, reviews and budgets older than this many
  -- years are not used (the school is then judged on the other indicators).
  data_max_age_years = 2,

  ---------------------------------------------------------------------------------------
  -- Key Stage 2 (primary and all-through schools)

  -- The floor: percentage of pupils reaching the expected standard in reading, writing
  -- and maths (the 2016 floor standard was 65%).
  ks2_floor_percent = 65,
  -- ...together with progress in reading below this score...
  ks2_floor_reading_progress = -5,
  -- ...or progress in maths below this score, puts a school below the floor.
  ks2_floor_maths_progress = -5,
  -- Points for a school below the KS2 floor.
  ks2_below_floor_points = 25,
  -- Results falling two years running count when the fall over the two years is at least
  -- this many percentage points (reading, writing and maths at the expected standard).
  ks2_fall_min_points = 10,
  -- Points for KS2 results falling two years running.
  ks2_falling_points = 15,

  ---------------------------------------------------------------------------------------
  -- Key Stage 4 (secondary and all-through schools)

  -- Progress 8 below this is a watch.
  ks4_p8_watch = -0.25,
  -- Points for Progress 8 below the watch level.
  ks4_p8_watch_points = 10,
  -- Progress 8 below this is a concern.
  ks4_p8_concern = -0.5,
  -- Points for Progress 8 below the concern level.
  ks4_p8_concern_points = 25,
  -- "Coasting": Progress 8 below this level...
  ks4_coasting_p8 = -0.25,
  -- ...in each of this many latest published years.
  ks4_coasting_years = 3,
  -- Extra points for a coasting secondary school.
  ks4_coasting_points = 15,
  -- Progress 8 falling two years running counts when the fall over the two years is at
  -- least this much.
  ks4_fall_min = 0.3,
  -- Points for Progress 8 falling two years running.
  ks4_falling_points = 15,

  ---------------------------------------------------------------------------------------
  -- Persistent absence (pupils missing 10% or more of sessions), latest year, percent

  -- Primary schools: watch above this percentage...
  persistent_absence_watch_primary = 25,
  -- ...concern above this one.
  persistent_absence_concern_primary = 30,
  -- Secondary and all-through schools: watch above this percentage...
  persistent_absence_watch_secondary = 35,
  -- ...concern above this one.
  persistent_absence_concern_secondary = 42,
  -- Special schools: watch above this percentage...
  persistent_absence_watch_special = 45,
  -- ...concern above this one.
  persistent_absence_concern_special = 55,
  -- Points for persistent absence above the watch level.
  persistent_absence_watch_points = 10,
  -- Points for persistent absence above the concern level.
  persistent_absence_concern_points = 25,

  ---------------------------------------------------------------------------------------
  -- Exclusions, latest year (rates are per 100 pupils on roll)

  -- Permanent exclusion rate at or above which a primary school is on watch.
  perm_excl_rate_primary = 0.15,
  -- Permanent exclusion rate at or above which a secondary or all-through school is on watch.
  perm_excl_rate_secondary = 0.4,
  -- Permanent exclusion rate at or above which a special school is on watch.
  perm_excl_rate_special = 0.4,
  -- Permanent exclusion rate at or above which an alternative provision school or pupil
  -- referral unit is on watch.
  perm_excl_rate_ap = 2,
  -- Suspension rate at or above which a primary school is on watch.
  suspension_rate_primary = 5,
  -- Suspension rate at or above which a secondary or all-through school is on watch.
  suspension_rate_secondary = 35,
  -- Suspension rate at or above which a special school is on watch.
  suspension_rate_special = 30,
  -- Suspension rate at or above which alternative provision or a pupil referral unit is on watch.
  suspension_rate_ap = 150,
  -- A rate at least this many times its watch level is a concern.
  exclusions_concern_multiple = 2,
  -- Points for exclusions at the watch level.
  exclusions_watch_points = 10,
  -- Points for exclusions at the concern level.
  exclusions_concern_points = 20,

  ---------------------------------------------------------------------------------------
  -- Section 175 safeguarding audit (latest year)

  -- Points when the latest audit was not returned.
  s175_not_returned_points = 25,
  -- Points when the latest audit was returned with actions still outstanding.
  s175_actions_points = 5,
  -- An audit received more than this many days after its due date counts as late.
  s175_late_days = 28,
  -- Points for a late audit.
  s175_late_points = 5,

  ---------------------------------------------------------------------------------------
  -- Governance (latest review)

  -- Points when the governance risk rating is High.
  governance_high_points = 25,
  -- Points when the governance risk rating is Medium.
  governance_medium_points = 8,
  -- Governor vacancy rate (percent of places) at or above which a school is on watch.
  governor_vacancy_rate_percent = 25,
  -- Points for governor vacancies at or above that rate.
  governor_vacancy_points = 8,

  ---------------------------------------------------------------------------------------
  -- Budget (maintained schools; latest financial year end)

  -- Points for any revenue deficit.
  deficit_watch_points = 10,
  -- A deficit larger than this many pounds is a concern.
  deficit_concern_pounds = 100000,
  -- Points for a deficit larger than that.
  deficit_concern_points = 20,
}
