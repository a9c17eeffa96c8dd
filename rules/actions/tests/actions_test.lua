-- Tests for the key actions pack. Run: build/vigil rules test rules/actions
-- Each action has start and due dates (as typed in the plan, dd/mm/yyyy) and dated
-- progress updates (percent_complete, note).

local function action(start, due, kpi)
  return { service_plan = "SEN Assessment and Review", lead = "Head of SEN Assessment and Review",
           start_date = start, due_date = due, kpi = kpi }
end

test {
  name = "an action reported 100% complete is complete",
  as_of = "2017-03-31",
  entity = { key = "A09", name = "Review the early years offer", attr = action("01/06/2016", "31/01/2017", "KPI2"),
    observations = { percent_complete = { { date = "2016-09-30", value = 50 }, { date = "2017-01-31", value = 100 } } } },
  expect = { category = "complete", score = 0, levels = { status = "none", update = "none" },
             reasons = { status = "Complete: 100% complete at the update of 2017-01-31" } },
}

test {
  name = "an action past its due date at 90% is overdue",
  as_of = "2017-03-31",
  entity = { key = "A16", attr = action("01/05/2016", "31/12/2016", "KPI8"),
    observations = { percent_complete = { { date = "2016-10-31", value = 70 }, { date = "2016-12-31", value = 90 } } } },
  expect = { category = "overdue", levels = { status = "serious", update = "watch" },
             reasons = { status = "Overdue: due 2016-12-31, 90 days ago; 90% complete at the update of 2016-12-31" } },
}

test {
  name = "45% done with 78% of the time gone is at risk",
  as_of = "2017-03-31",
  entity = { key = "A06", attr = action("01/09/2016", "31/05/2017"),
    observations = { percent_complete = { { date = "2017-02-28", value = 45 } } } },
  expect = { category = "at_risk", levels = { status = "concern" },
             reasons = { status = "with 78% of the time to 2017-05-31 gone", elapsed = "78% of the time" } },
}

test {
  name = "60% done with 63% of the time gone is on track",
  as_of = "2017-03-31",
  entity = { key = "A03", attr = action("01/09/2016", "31/07/2017", "KPI1"),
    observations = { percent_complete = { { date = "2017-03-31", value = 60 } } } },
  expect = { category = "on_track", score = 10, levels = { status = "watch", update = "none" } },
}

test {
  name = "exactly 20 points behind is still on track",
  as_of = "2017-03-31",
  entity = { key = "A20", attr = action("01/04/2016", "31/03/2017"),
    observations = { percent_complete = { { date = "2017-03-31", value = 80 } } } },
  expect = { category = "on_track" },
}

test {
  name = "a started action with no update counts as 0% and is flagged",
  as_of = "2017-03-31",
  entity = { key = "A23", attr = action("01/10/2016", "30/09/2017") },
  expect = { category = "at_risk", levels = { progress = "none", update = "watch" },
             reasons = { progress = "counted as 0%", update = "no update since it started on 2016-10-01" } },
}

test {
  name = "an action that has not started yet is on track",
  as_of = "2017-03-31",
  entity = { key = "A27", attr = action("01/04/2017", "31/03/2018", "KPI7") },
  expect = { category = "on_track", levels = { update = "none" }, reasons = { status = "starts 2017-04-01" } },
}

test {
  name = "an update with no figure keeps the last figure given",
  as_of = "2017-03-31",
  entity = { key = "A11", attr = action("01/04/2016", "31/03/2017", "KPI9"),
    observations = { percent_complete = { { date = "2016-12-31", value = 70 },
                                          { date = "2017-03-31", text = "x: not available" } } } },
  expect = { category = "at_risk",
             reasons = { progress = "70% complete at the update of 2016-12-31; the update of 2017-03-31 gave no figure" } },
}

test {
  name = "an action finished after its due date is complete, and says so",
  as_of = "2017-03-31",
  entity = { key = "A12", attr = action("01/06/2016", "28/02/2017"),
    observations = { percent_complete = { { date = "2017-03-20", value = 100 } } } },
  expect = { category = "complete", reasons = { status = "20 days after its due date 2017-02-28" } },
}

test {
  name = "an action without a due date is at risk",
  as_of = "2017-03-31",
  entity = { key = "A99", attr = { start_date = "01/09/2016" },
    observations = { percent_complete = { { date = "2017-03-01", value = 50 } } } },
  expect = { category = "at_risk", reasons = { status = "no due date", elapsed = "timeframe is unknown" } },
}
