-- Tests for the risk register pack. Run: build/vigil rules test rules/risks
-- Each review is a likelihood and an impact (1 to 5) dated by the review meeting.

local MONTHLY = { category = "Education", owner = "Head of School Improvement (ICF)", review_months = "1" }

test {
  name = "a risk whose likelihood rose to 4 x 4 is very high and rising",
  as_of = "2017-03-31",
  entity = { key = "R03", name = "Schools causing concern found late", attr = MONTHLY,
    observations = {
      likelihood = { { date = "2017-02-28", value = 3 }, { date = "2017-03-28", value = 4 } },
      impact = { { date = "2017-02-28", value = 4 }, { date = "2017-03-28", value = 4 } },
    } },
  expect = { category = "very_high", score = 16,
             levels = { rating = "serious", direction = "watch", review = "none" },
             reasons = { direction = "Rising: 12 (3 x 4) on 2017-02-28 to 16 (4 x 4) on 2017-03-28",
                         band = "Rating 16 is in the very high band (15 or more)" } },
}

test {
  name = "a risk never reviewed is not yet scored and flagged",
  as_of = "2017-03-31",
  entity = { key = "R19", name = "Apprenticeship levy in schools", attr = MONTHLY },
  expect = { category = "not_scored", score = 0,
             levels = { rating = "none", review = "concern" },
             reasons = { review = "Never reviewed", direction = "Not scored yet" } },
}

test {
  name = "a monthly risk last reviewed at the end of January is overdue at the end of March",
  as_of = "2017-03-31",
  entity = { key = "R14", name = "Home to school transport costs", attr = MONTHLY,
    observations = {
      likelihood = { { date = "2016-12-20", value = 4 }, { date = "2017-01-31", value = 4 } },
      impact = { { date = "2016-12-20", value = 3 }, { date = "2017-01-31", value = 3 } },
    } },
  expect = { category = "high", score = 12, levels = { rating = "concern", review = "concern" },
             reasons = { review = "the monthly review was due 2017-02-28, 31 days ago",
                         direction = "Same: 12" } },
}

test {
  name = "a quarterly review held within the grace days is in date",
  as_of = "2017-03-31",
  entity = { key = "R08", name = "Programme office capacity",
    attr = { category = "Programme", review_months = "3" },
    observations = {
      likelihood = { { date = "2016-09-27", value = 3 }, { date = "2016-12-20", value = 2 } },
      impact = { { date = "2016-09-27", value = 3 }, { date = "2016-12-20", value = 3 } },
    } },
  expect = { category = "medium", levels = { review = "none", direction = "none" },
             reasons = { review = "next 3-monthly review due 2017-03-20", direction = "Falling: 9" } },
}

test {
  name = "a review that left the impact blank keeps the last complete rating",
  as_of = "2017-03-31",
  entity = { key = "R16", name = "School places in growth districts", attr = MONTHLY,
    observations = {
      likelihood = { { date = "2017-02-28", value = 2 }, { date = "2017-03-28", value = 3 } },
      impact = { { date = "2017-02-28", value = 4 }, { date = "2017-03-28", text = "x: not available" } },
    } },
  expect = { category = "medium", score = 8, levels = { review = "none" },
             reasons = { rating = "the review of 2017-03-28 left the likelihood or the impact blank",
                         direction = "First scored on 2017-02-28" } },
}

test {
  name = "band edges: 1 x 5 is medium",
  as_of = "2017-03-31",
  entity = { key = "R20", attr = MONTHLY,
    observations = { likelihood = { { date = "2017-03-28", value = 1 } }, impact = { { date = "2017-03-28", value = 5 } } } },
  expect = { category = "medium", score = 5, levels = { rating = "watch" } },
}

test {
  name = "band edges: 2 x 2 is low",
  as_of = "2017-03-31",
  entity = { key = "R21", attr = MONTHLY,
    observations = { likelihood = { { date = "2017-03-28", value = 2 } }, impact = { { date = "2017-03-28", value = 2 } } } },
  expect = { category = "low", score = 4 },
}

test {
  name = "a review after the run's date is not seen",
  as_of = "2017-03-01",
  entity = { key = "R03", attr = MONTHLY,
    observations = {
      likelihood = { { date = "2017-02-28", value = 3 }, { date = "2017-03-28", value = 5 } },
      impact = { { date = "2017-02-28", value = 4 }, { date = "2017-03-28", value = 5 } },
    } },
  expect = { category = "high", score = 12, levels = { review = "none" } },
}
