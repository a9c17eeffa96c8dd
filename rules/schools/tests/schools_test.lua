-- Tests for the schools pack: small made-up schools and what the rules should
-- say about them. Run them with: build/vigil rules test rules/schools
-- Each test names a school's attributes and observations (measure = list of
-- { date = "YYYY-MM-DD", value = number } or { date = ..., text = "..." }).

local OPEN_PRIMARY = { status = "Open", phase = "Primary", type = "Community school",
                       type_group = "Local authority maintained schools" }

test {
  name = "an inadequate school gets intensive support whatever its score",
  as_of = "2023-11-30",
  entity = {
    key = "900001", name = "Inadequate Primary", attr = OPEN_PRIMARY,
    observations = { ofsted_overall = { { date = "2022-06-28", value = 4 } } },
  },
  expect = {
    category = "intensive",
    levels = { ofsted_judgement = "serious" },
    reasons = { ofsted_judgement = "Judged Inadequate at the inspection of 2022-06-28" },
  },
}

test {
  name = "a good school inspected recently with no other signals gets universal support",
  as_of = "2023-11-30",
  entity = {
    key = "900002", name = "Steady Primary", attr = OPEN_PRIMARY,
    observations = { ofsted_overall = { { date = "2021-03-10", value = 2 } } },
  },
  expect = { category = "universal", levels = { ofsted_judgement = "none", time_since_inspection = "none" } },
}

test {
  name = "an outstanding school not inspected for five years is watched",
  as_of = "2023-11-30",
  entity = {
    key = "900003", name = "Long Ago Primary", attr = OPEN_PRIMARY,
    observations = { ofsted_overall = { { date = "2013-10-01", value = 1 } } },
  },
  expect = {
    levels = { time_since_inspection = "watch" },
    reasons = { time_since_inspection = "10.2 years ago: 2013-10-01 (judged Outstanding) (due after 5 years)" },
  },
}

test {
  name = "requires improvement twice running is a stuck school",
  as_of = "2023-11-30",
  entity = {
    key = "900004", name = "Stuck Primary", attr = OPEN_PRIMARY,
    observations = { ofsted_overall = { { date = "2019-05-01", value = 3 }, { date = "2022-05-01", value = 3 } } },
  },
  expect = { category = "targeted", levels = { ofsted_judgement = "concern", ofsted_stuck = "concern" } },
}

test {
  name = "high persistent absence in a primary school is a concern",
  as_of = "2023-11-30",
  entity = {
    key = "900005", name = "Absent Primary", attr = OPEN_PRIMARY,
    observations = {
      ofsted_overall = { { date = "2021-03-10", value = 2 } },
      persistent_absence = { { date = "2023-08-31", value = 31.5 } },
      overall_absence = { { date = "2023-08-31", value = 9.1 } },
    },
  },
  expect = { levels = { persistent_absence = "concern" } },
}

test {
  name = "a suppressed attainment figure is not treated as zero",
  as_of = "2023-11-30",
  entity = {
    key = "900006", name = "Tiny Primary", attr = OPEN_PRIMARY,
    observations = {
      ofsted_overall = { { date = "2021-03-10", value = 2 } },
      ks2_rwm_expected = { { date = "2023-08-31", text = "c: confidential" } },
    },
  },
  expect = { category = "universal", levels = { ks2_below_floor = "none" } },
}

local OPEN_SECONDARY = { status = "Open", phase = "Secondary", type = "Academy converter",
                         type_group = "Academies" }
local MAINTAINED_PRIMARY = { status = "Open", phase = "Primary", type = "Community school",
                             type_group = "Local authority maintained schools" }

test {
  name = "a secondary school whose Progress 8 fell three years running and is well below average",
  as_of = "2023-11-30",
  entity = {
    key = "900008", name = "Falling Secondary", attr = OPEN_SECONDARY,
    observations = {
      ofsted_overall = { { date = "2021-03-10", value = 2 } },
      ks4_progress8 = { { date = "2021-08-31", value = -0.3 }, { date = "2022-08-31", value = -0.45 },
                        { date = "2023-08-31", value = -0.7 } },
    },
  },
  expect = {
    score = 55,
    category = "targeted",
    levels = { ks4_progress8 = "concern", ks4_coasting = "concern", ks4_falling = "watch" },
    reasons = { ks4_falling = "Progress 8 down two results running (-0.30 → -0.45 → -0.70" },
  },
}

test {
  name = "a secondary school just below the Progress 8 watch level is watched",
  as_of = "2023-11-30",
  entity = {
    key = "900009", name = "Watched Secondary", attr = OPEN_SECONDARY,
    observations = {
      ofsted_overall = { { date = "2021-03-10", value = 2 } },
      ks4_progress8 = { { date = "2022-08-31", value = 0.1 }, { date = "2023-08-31", value = -0.3 } },
    },
  },
  expect = { levels = { ks4_progress8 = "watch", ks4_coasting = "none", ks4_falling = "none" } },
}

test {
  name = "a secondary school with average Progress 8 is not flagged for it",
  as_of = "2023-11-30",
  entity = {
    key = "900014", name = "Average Secondary", attr = OPEN_SECONDARY,
    observations = {
      ofsted_overall = { { date = "2021-03-10", value = 2 } },
      ks4_progress8 = { { date = "2023-08-31", value = 0.05 } },
    },
  },
  expect = { category = "universal", levels = { ks4_progress8 = "none" } },
}

test {
  name = "KS2 results below the floor and falling two years running",
  as_of = "2023-11-30",
  entity = {
    key = "900010", name = "Slipping Primary", attr = OPEN_PRIMARY,
    observations = {
      ofsted_overall = { { date = "2021-03-10", value = 2 } },
      ks2_rwm_expected = { { date = "2021-08-31", value = 72 }, { date = "2022-08-31", value = 61 },
                           { date = "2023-08-31", value = 55 } },
      ks2_reading_progress = { { date = "2023-08-31", value = -6.1 } },
      ks2_maths_progress = { { date = "2023-08-31", value = -1 } },
    },
  },
  expect = {
    score = 40,
    levels = { ks2_below_floor = "concern", ks2_falling = "watch" },
    reasons = { ks2_below_floor = "with reading progress -6.1 (floor -5)" },
  },
}

test {
  name = "a school in special measures, with safeguarding not effective, gets intensive support",
  as_of = "2023-11-30",
  entity = {
    key = "900011", name = "Special Measures Primary", attr = OPEN_PRIMARY,
    observations = {
      ofsted_overall = { { date = "2023-05-10", value = 4 } },
      ofsted_category_of_concern = { { date = "2023-05-10", text = "Special measures" } },
      ofsted_safeguarding = { { date = "2023-05-10", text = "No" } },
    },
  },
  expect = {
    category = "intensive",
    levels = { ofsted_category_of_concern = "serious", ofsted_safeguarding = "serious" },
  },
}

test {
  name = "attendance, exclusions, audit, governance and budget each add their points",
  as_of = "2023-11-30",
  entity = {
    key = "900012", name = "Struggling Primary", attr = MAINTAINED_PRIMARY,
    observations = {
      ofsted_overall = { { date = "2021-03-10", value = 2 } },
      persistent_absence = { { date = "2023-08-31", value = 27.0 } },
      exclusion_perm_rate = { { date = "2023-08-31", value = 0.2 } },
      suspension_rate = { { date = "2023-08-31", value = 2 } },
      s175_status = { { date = "2023-07-14", text = "Not returned" } },
      governance_risk = { { date = "2023-06-30", text = "High" } },
      governor_vacancy_rate = { { date = "2023-06-30", value = 30 } },
      revenue_balance = { { date = "2023-03-31", value = -150000 } },
    },
  },
  expect = {
    category = "intensive",
    levels = { persistent_absence = "watch", exclusions = "watch", s175_audit = "concern",
               governance_rating = "concern", governor_vacancies = "watch", budget_deficit = "concern" },
  },
}

test {
  name = "a small deficit, a medium governance risk and a late audit with actions are watched",
  as_of = "2023-11-30",
  entity = {
    key = "900013", name = "Watched Primary", attr = MAINTAINED_PRIMARY,
    observations = {
      ofsted_overall = { { date = "2021-03-10", value = 2 } },
      exclusion_perm_rate = { { date = "2023-08-31", value = 0.4 } },
      s175_status = { { date = "2023-07-14", text = "Returned" } },
      s175_actions_outstanding = { { date = "2023-07-14", value = 2 } },
      s175_received = { { date = "2023-07-14", text = "30/08/2023" } },
      governance_risk = { { date = "2023-06-30", text = "Medium" } },
      revenue_balance = { { date = "2023-03-31", value = -2500 } },
    },
  },
  expect = {
    levels = { exclusions = "concern", s175_audit = "watch", governance_rating = "watch", budget_deficit = "watch" },
    reasons = { s175_audit = "2 actions outstanding; returned 47 days late" },
  },
}

test {
  name = "a closed school is not assessed",
  as_of = "2023-11-30",
  entity = { key = "900007", name = "Closed Primary", attr = { status = "Closed", phase = "Primary" } },
  expect = {},
}

-- Schools known only from a file without register attributes (an EES file read with
-- emit_entities) have no phase: the rules say so instead of guessing secondary.
test {
  name = "a school whose phase is not known is not judged on secondary thresholds",
  as_of = "2023-11-30",
  entity = {
    key = "3302003", name = "",
    observations = {
      persistent_absence = { { date = "2023-08-31", value = 38 } },
      exclusion_perm_rate = { { date = "2023-08-31", value = 0.3 } },
      ks4_progress8 = { { date = "2023-08-31", value = -0.9 } },
    },
  },
  expect = {
    levels = { persistent_absence = "none", exclusions = "none", ks4_progress8 = "none", ks2_below_floor = "none" },
    reasons = { persistent_absence = "phase not known: 3302003 has no phase in the data",
                exclusions = "phase not known", ks4_progress8 = "phase not known" },
  },
}

test {
  name = "the register's own Ofsted rating counts as the latest graded inspection",
  as_of = "2018-10-29",
  entity = {
    key = "100000", name = "Register Only Primary", attr = OPEN_PRIMARY,
    observations = { ofsted_rating_register = { { date = "2013-04-19", value = 1, text = "Outstanding" } } },
  },
  expect = {
    levels = { ofsted_judgement = "none", time_since_inspection = "watch" },
    reasons = { ofsted_judgement = "Judged Outstanding at the inspection of 2013-04-19, 5.5 years ago, as the register records it" },
  },
}

test {
  name = "an Ofsted file's inspection wins over the register's record of the same inspection",
  as_of = "2023-11-30",
  entity = {
    key = "900010", name = "Both Sources Primary", attr = OPEN_PRIMARY,
    observations = {
      ofsted_overall = { { date = "2019-05-01", value = 3 }, { date = "2022-05-01", value = 2 } },
      ofsted_rating_register = { { date = "2022-05-03", value = 3, text = "Requires improvement" } },
    },
  },
  expect = {
    levels = { ofsted_judgement = "none", ofsted_stuck = "none" },
    reasons = { ofsted_judgement = "Judged Good at the inspection of 2022-05-01" },
  },
}

-- Inspections since September 2024: no overall judgement, then report cards. The most
-- recent inspection of any kind counts, and a reason never passes an older graded
-- judgement off as the latest.

test {
  name = "safeguarding not effective at an inspection not judged overall forces intensive support",
  as_of = "2025-12-06",
  entity = {
    key = "100013", name = "Not Judged Primary", attr = OPEN_PRIMARY,
    observations = {
      ofsted_rating_register = { { date = "2018-02-07", value = 2, text = "Good" } },
      ofsted_overall_text = { { date = "2025-01-15", text = "Not judged" } },
      ofsted_leadership = { { date = "2025-01-15", value = 4, text = "Inadequate" } },
      ofsted_quality_of_education = { { date = "2025-01-15", value = 3, text = "Requires improvement" } },
      ofsted_safeguarding = { { date = "2025-01-15", text = "No" } },
      ofsted_inspection_number = { { date = "2025-01-15", text = "10345678" } },
    },
  },
  expect = {
    category = "intensive",
    levels = { ofsted_safeguarding = "serious", ofsted_judgement = "serious", time_since_inspection = "none",
               ofsted_stuck = "none" },
    reasons = {
      ofsted_safeguarding = "Safeguarding judged not effective at the inspection of 2025-01-15 (not judged overall: "
        .. "leadership 4 Inadequate, quality of education 3 Requires improvement)",
      ofsted_judgement = "Latest inspection 2025-01-15 (not judged overall: leadership 4 Inadequate, quality of "
        .. "education 3 Requires improvement); last graded judgement Good in 2018",
      time_since_inspection = "Last inspection 0.9 years ago: 2025-01-15",
    },
  },
}

test {
  name = "a report card with safeguarding standards not met and urgent improvement forces intensive support",
  as_of = "2025-12-06",
  entity = {
    key = "100012", name = "Report Card Primary", attr = OPEN_PRIMARY,
    observations = {
      ofsted_rating_register = { { date = "2015-03-04", value = 2, text = "Good" } },
      ofsted_safeguarding_standards = { { date = "2025-11-20", text = "Not met" } },
      ofsted_rc_inclusion = { { date = "2025-11-20", value = 5, text = "Urgent improvement" } },
      ofsted_rc_achievement = { { date = "2025-11-20", value = 3, text = "Expected standard" } },
      ofsted_inspection_number = { { date = "2025-11-20", text = "10400001" } },
    },
  },
  expect = {
    category = "intensive",
    levels = { ofsted_safeguarding = "serious", ofsted_judgement = "serious", time_since_inspection = "none" },
    reasons = {
      ofsted_safeguarding = "Safeguarding standards Not met at the inspection of 2025-11-20 (report card: inclusion 5 "
        .. "Urgent improvement, achievement 3 Expected standard)",
      ofsted_judgement = "last graded judgement Good in 2015",
      time_since_inspection = "Last inspection 0.0 years ago: 2025-11-20 (report card",
    },
  },
}

test {
  name = "a report card area that needs attention is a concern",
  as_of = "2025-12-06",
  entity = {
    key = "900020", name = "Needs Attention Primary", attr = OPEN_PRIMARY,
    observations = {
      ofsted_overall = { { date = "2021-03-10", value = 2 } },
      ofsted_safeguarding = { { date = "2021-03-10", text = "Yes" } },
      ofsted_safeguarding_standards = { { date = "2025-11-24", text = "Met" } },
      ofsted_rc_achievement = { { date = "2025-11-24", value = 4, text = "Needs attention" } },
      ofsted_rc_inclusion = { { date = "2025-11-25", value = 2, text = "Strong standard" } },
    },
  },
  expect = {
    category = "targeted",
    score = 30,
    levels = { ofsted_judgement = "concern", ofsted_safeguarding = "none" },
    reasons = {
      ofsted_judgement = "Latest inspection 2025-11-24 (report card: achievement 4 Needs attention, inclusion 2 "
        .. "Strong standard); last graded judgement Good in 2021",
      ofsted_safeguarding = "Safeguarding standards Met at the inspection of 2025-11-24",
    },
  },
}

test {
  name = "an ungraded inspection counts as an inspection, and the graded judgement before it stands",
  as_of = "2023-11-30",
  entity = {
    key = "900021", name = "Ungraded Since Primary", attr = OPEN_PRIMARY,
    observations = {
      ofsted_overall = { { date = "2014-06-11", value = 2 } },
      ofsted_safeguarding = { { date = "2014-06-11", text = "Yes" } },
      ofsted_ungraded_outcome = { { date = "2021-11-17", text = "School remains Good" } },
    },
  },
  expect = {
    category = "universal",
    levels = { ofsted_judgement = "none", time_since_inspection = "none" },
    reasons = {
      ofsted_judgement = "Judged Good at the inspection of 2014-06-11, 9.5 years ago; latest inspection 2021-11-17 "
        .. "(ungraded: School remains Good)",
      time_since_inspection = "Last inspection 2.0 years ago: 2021-11-17 (ungraded: School remains Good)",
      ofsted_safeguarding = "Safeguarding judged effective at the inspection of 2014-06-11; no safeguarding finding "
        .. "recorded at the later inspection 2021-11-17",
    },
  },
}

test {
  name = "a monitoring visit that records the category leaves the Inadequate judgement before it in place",
  as_of = "2023-11-30",
  entity = {
    key = "900022", name = "Monitored Primary", attr = OPEN_PRIMARY,
    observations = {
      ofsted_overall = { { date = "2022-01-12", value = 4 } },
      ofsted_category_of_concern = { { date = "2022-01-12", text = "Special measures" },
                                     { date = "2023-06-07", text = "Special measures" } },
      ofsted_ungraded_outcome = { { date = "2023-06-07", text = "Taking effective action" } },
      ofsted_ungraded_inspection_type = { { date = "2023-06-07", text = "Monitoring Inspection" } },
    },
  },
  expect = {
    category = "intensive",
    levels = { ofsted_judgement = "serious", ofsted_category_of_concern = "serious" },
    reasons = {
      ofsted_judgement = "Judged Inadequate at the inspection of 2022-01-12, 1.9 years ago; latest inspection "
        .. "2023-06-07 (ungraded: Taking effective action)",
    },
  },
}
