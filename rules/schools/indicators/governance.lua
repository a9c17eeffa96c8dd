-- Governance: the governance risk rating from the latest governance review, and the
-- share of governor places vacant.

indicator {
  id = "governance_rating",
  title = "Governance risk rating",
  applies = is_open,
  evaluate = function(e)
    local o = e:latest("governance_risk")
    if not o or not o.text then return none("No governance review on record") end
    if too_old(o.date) then
      return none(format("Latest governance review (%s) is too old to use", o.date))
    end
    if o.text == "High" then
      return concern(threshold.governance_high_points,
        format("Governance risk rated High at the review of %s", o.date))
    end
    if o.text == "Medium" then
      return watch(threshold.governance_medium_points,
        format("Governance risk rated Medium at the review of %s", o.date))
    end
    return none(format("Governance risk rated %s at the review of %s", o.text, o.date))
  end,
}

indicator {
  id = "governor_vacancies",
  title = "Governor vacancies",
  applies = is_open,
  evaluate = function(e)
    local o = e:latest("governor_vacancy_rate")
    if not o or not o.value then return none("No governor vacancy figures on record") end
    if too_old(o.date) then
      return none(format("Latest governance review (%s) is too old to use", o.date))
    end
    local detail = ""
    local vacancies, places = e:latest("governor_vacancies"), e:latest("governor_places")
    if vacancies and places and vacancies.value and places.value
        and vacancies.date == o.date and places.date == o.date then
      detail = format(" (%d of %d places)", math.floor(vacancies.value), math.floor(places.value))
    end
    if o.value >= threshold.governor_vacancy_rate_percent then
      return watch(threshold.governor_vacancy_points,
        format("Governor vacancies %.1f%%%s at the review of %s (threshold %g%%)",
          o.value, detail, o.date, threshold.governor_vacancy_rate_percent))
    end
    return none(format("Governor vacancies %.1f%%%s at the review of %s", o.value, detail, o.date))
  end,
}
