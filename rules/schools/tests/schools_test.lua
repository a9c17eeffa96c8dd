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
    reasons = { time_since_inspection = "10.2 years ago (2013-10-01)" },
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
