-- Tests for the contract KPI pack. Run: build/vigil rules test rules/contract
-- Each KPI has termly values dated by the term's end and the term's name.

-- The value and term observations for a list of { "Spring 2017", 93 } pairs, dated by the
-- term's end (31 December, 31 March, 31 August); a text instead of a number is a missing figure.
local function terms(values)
  local ends = { Autumn = "12-31", Spring = "03-31", Summer = "08-31" }
  local value, term = {}, {}
  for _, t in ipairs(values) do
    local season, year = t[1]:match("^(%a+) (%d+)$")
    local date = year .. "-" .. ends[season]
    value[#value + 1] = type(t[2]) == "number" and { date = date, value = t[2] } or { date = date, text = t[2] }
    term[#term + 1] = { date = date, text = t[1] }
  end
  return { value = value, term = term }
end

local PERCENT = { kind = "output", polarity = "higher", unit = "%", target = "90", frequency = "termly" }

test {
  name = "a KPI at or above its target is green",
  as_of = "2017-03-31",
  entity = { key = "OP3", attr = PERCENT, observations = terms { { "Autumn 2016", 91 }, { "Spring 2017", 93 } } },
  expect = { category = "green", score = 0, levels = { target = "none", reported = "none" },
             reasons = { target = "Met: 93% in Spring 2017; target at least 90%",
                         direction = "Improving: 91% (Autumn 2016) to 93% (Spring 2017)" } },
}

test {
  name = "96% against 100% is a near miss even when declining",
  as_of = "2017-03-31",
  entity = { key = "CC1", attr = { kind = "compliance", polarity = "higher", unit = "%", target = "100" },
    observations = terms { { "Autumn 2016", 100 }, { "Spring 2017", 96 } } },
  expect = { category = "amber", levels = { target = "concern" }, reasons = { target = "Near miss" } },
}

test {
  name = "a lower-is-better KPI that rose further above its target is red",
  as_of = "2017-03-31",
  entity = { key = "OC2", attr = { kind = "outcome", polarity = "lower", unit = "schools", target = "5" },
    observations = terms { { "Autumn 2016", 9 }, { "Spring 2017", 10 } } },
  expect = { category = "red", score = 50, levels = { target = "serious" },
             reasons = { target = "Not met and declining: 10 schools in Spring 2017; target at most 5 schools" } },
}

test {
  name = "missed well below target but improving is amber",
  as_of = "2017-03-31",
  entity = { key = "OP4", attr = { kind = "output", polarity = "higher", unit = "%", target = "100" },
    observations = terms { { "Autumn 2016", 88 }, { "Spring 2017", 92 } } },
  expect = { category = "amber", reasons = { target = "Not met but improving" } },
}

test {
  name = "a term reported as x (missing) is amber and names the last figure",
  as_of = "2017-03-31",
  entity = { key = "CC3", attr = { kind = "compliance", polarity = "higher", unit = "%", target = "100" },
    observations = terms { { "Autumn 2016", 67 }, { "Spring 2017", "x: not available" } } },
  expect = { category = "amber", levels = { target = "concern" },
             reasons = { target = "Not reported for Spring 2017 (x: not available); last figure 67% for Autumn 2016",
                         direction = "No figure for Spring 2017" } },
}

test {
  name = "a single missed figure has no trend and is red",
  as_of = "2017-03-31",
  entity = { key = "OC4", attr = { kind = "outcome", polarity = "lower", unit = "points", target = "5", frequency = "annual" },
    observations = terms { { "Summer 2016", 9.2 } } },
  expect = { category = "red", levels = { reported = "none" },
             reasons = { target = "Not met and no trend yet", direction = "Only one figure so far" } },
}

test {
  name = "a termly KPI with nothing newer than the summer is flagged late by spring, without points",
  as_of = "2017-03-31",
  entity = { key = "OP1", attr = PERCENT, observations = terms { { "Spring 2016", 87 }, { "Summer 2016", 95 } } },
  expect = { category = "green", score = 0, levels = { reported = "watch" },
             reasons = { reported = "Latest figure is for Summer 2016 (2016-08-31), 212 days ago" } },
}

test {
  name = "a KPI with no figure at all is amber",
  as_of = "2017-03-31",
  entity = { key = "OP6", attr = PERCENT },
  expect = { category = "amber", reasons = { target = "No figure reported yet" } },
}
