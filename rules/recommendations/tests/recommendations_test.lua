-- Tests for the recommendation tracker. Run: build/vigil rules test rules/recommendations

test {
  name = "achieved late is concluded",
  as_of = "2015-11-25",
  entity = { key = "r/R02", attr = { original_date = "2013-04-30" },
    observations = { tracking_category = { { date = "2014-02-12", value = 2, text = "Achieved (Late)" } } } },
  expect = { category = "concluded", levels = { latest_assessment = "none" } },
}

test {
  name = "category 3 without an anticipated date needs attention",
  as_of = "2015-11-25",
  entity = { key = "r/R07", attr = { original_date = "2013-04-30" },
    observations = { tracking_category = { { date = "2014-11-19", value = 3 } } } },
  expect = { category = "attention", levels = { anticipated_date_missing = "concern" } },
}

test {
  name = "in progress past its original date must be reassessed",
  as_of = "2015-11-25",
  entity = { key = "r/R08", attr = { original_date = "2013-05-31" },
    observations = { tracking_category = { { date = "2015-11-25", value = 6 } } } },
  expect = { category = "attention", levels = { in_progress_overdue = "concern" } },
}

test {
  name = "category 1 after the original date should be 2",
  as_of = "2015-11-25",
  entity = { key = "r/R06", attr = { original_date = "2013-04-30" },
    observations = { tracking_category = { { date = "2014-02-12", value = 1 } } } },
  expect = { category = "attention", levels = { achieved_late = "concern" } },
}

test {
  name = "an anticipated date that has passed is flagged",
  as_of = "2015-11-25",
  entity = { key = "r/R09", attr = { original_date = "2013-03-31" },
    observations = {
      tracking_category = { { date = "2015-11-25", value = 5 } },
      anticipated_date = { { date = "2015-11-25", text = "2015-07-31" } },
    } },
  expect = { category = "attention", levels = { anticipated_date_passed = "concern", anticipated_date_missing = "none" } },
}

test {
  name = "progress made with a future anticipated date is simply tracked",
  as_of = "2014-03-01",
  entity = { key = "r/R04", attr = { original_date = "2013-06-30" },
    observations = {
      tracking_category = { { date = "2014-02-12", value = 3 } },
      anticipated_date = { { date = "2014-02-12", text = "2014-07-31" } },
    } },
  expect = { category = "tracked", score = 5 },
}
