JUDGEMENT = { "Outstanding", "Good", "Requires improvement", "Inadequate" }

local function open(e) return e.attr.status ~= "Closed" end

indicator {
  id = "ofsted_judgement",
  title = "Latest Ofsted judgement",
  applies = open,
  evaluate = function(e)
    local j = e:latest("ofsted_overall")
    if not j then return watch(5, "No inspection on record") end
    local words = JUDGEMENT[j.value]
    if j.value == 4 then
      return serious(threshold.inadequate_points, format("Judged %s on %s", words, j.date), { force = "intensive" })
    elseif j.value == 3 then
      return concern(threshold.requires_improvement_points, format("Judged %s on %s", words, j.date))
    end
    return none(format("Judged %s on %s", words, j.date))
  end,
}

indicator {
  id = "inspection_overdue",
  title = "Time since last inspection",
  applies = open,
  evaluate = function(e)
    local j = e:latest("ofsted_overall")
    if not j or j.value > 2 then return nil end
    local years = years_since(j.date)
    if years >= threshold.inspection_overdue_years then
      return watch(threshold.overdue_points,
                   format("Last inspected %.1f years ago (%s), judged %s", years, j.date, JUDGEMENT[j.value]))
    end
  end,
}
