-- An indicator with the officer tools a pack file may also hold.
indicator {
  id = "judgement",
  title = "Judgement",
  evaluate = function(e)
    local j = e:latest("ofsted_overall")
    if not j then return none("no inspection", { columns = { judged = "never" } }) end
    if j.value >= 3 then return concern(threshold.points, format("Judged %d on %s", j.value, j.date)) end
    return none(format("Judged %d", j.value))
  end,
}

overrides {
  { key = "103456", category = "intensive", reason = "LA concern", by = "A. Officer", expires = "2024-03-31" },
  { key = "999999", category = "nosuch", reason = "typo", by = "B", expires = "2023-02-30" },
}

test {
  name = "requires improvement is a concern",
  as_of = "2023-11-30",
  entity = { key = "1", attr = { phase = "Primary" },
             observations = { ofsted_overall = { { date = "2022-01-01", value = 3 } } } },
  expect = { category = "targeted", levels = { judgement = "concern" }, score = 30 },
}
