-- Tests for the KPI pack. Run: build/vigil rules test rules/kpis

test {
  name = "a KPI below its numeric target but improving is amber",
  entity = { key = "KPI1", attr = { polarity = "higher", unit = "%", target = "90", target_rule = "at_least" },
    observations = { value = { { date = "2016-02-29", value = 78 }, { date = "2017-07-31", value = 82.4 } } } },
  expect = { category = "amber", levels = { target = "concern" },
             reasons = { direction = "Improving: 78% (2016-02-29) to 82.4% (2017-07-31)" } },
}

test {
  name = "a lower-is-better KPI that rose above its target is red",
  entity = { key = "KPI9", attr = { polarity = "lower", unit = "%", target = "4", target_rule = "at_most" },
    observations = { value = { { date = "2016-03-31", value = 5.2 }, { date = "2017-03-31", value = 5.6 } } } },
  expect = { category = "red", levels = { target = "serious" } },
}

test {
  name = "in line with national means within the tolerance",
  entity = { key = "KPI6", attr = { polarity = "lower", unit = "%", target_rule = "national" },
    observations = { value = { { date = "2016-08-31", value = 3.8 } }, national = { { date = "2016-08-31", value = 3.7 } } } },
  expect = { category = "green", levels = { target = "none" } },
}

test {
  name = "above national is not met when equal or below",
  entity = { key = "KPI5", attr = { polarity = "higher", unit = "%", target_rule = "above_national" },
    observations = { value = { { date = "2015-08-31", value = 16.7 }, { date = "2016-08-31", value = 14.1 } },
                     national = { { date = "2016-08-31", value = 14.9 } } } },
  expect = { category = "red" },
}
