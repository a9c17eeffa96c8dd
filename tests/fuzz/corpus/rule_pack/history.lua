-- Reads everything the fixture school has, with the helpers rules use.
indicator {
  id = "history",
  title = "History of judgements",
  applies = function(e) return e.kind == "school" end,
  evaluate = function(e)
    local latest, previous = e:latest("ofsted_overall"), e:previous("ofsted_overall")
    local ks2 = e:latest("ks2_rwm")
    if not latest then return watch(5, "No inspection on record") end
    local n = #e:history("ofsted_overall")
    local years = years_since(latest.date)
    if ks2 and ks2.value == nil and ks2.text then
      return watch(1, format("KS2 suppressed (%s)", ks2.text))
    end
    if previous and latest.value > previous.value then
      return concern(threshold.points, format("Declined from %d to %d (%d inspections, %.1f years)",
        previous.value, latest.value, n, round(years, 1)))
    end
    return none(format("%s %s %s", e.key, e.name, e.attr.phase))
  end,
}

indicator {
  id = "overdue",
  evaluate = function(e)
    local j = e:latest("ofsted_overall")
    if j and years_between(j.date, as_of) >= threshold.years then
      return serious(60, "Overdue", { force = "intensive" })
    end
    return nil
  end,
}
