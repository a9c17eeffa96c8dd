-- The section 175 safeguarding audit each school returns to the local authority: not
-- returned, returned with actions still outstanding, or returned late. Each return is
-- dated by its due date.

-- academic_year, iso_date, too_old, on_date and is_open are in lib/.

indicator {
  id = "s175_audit",
  title = "Section 175 safeguarding audit",
  applies = is_open,
  evaluate = function(e)
    local status = e:latest("s175_status")
    if not status or not status.text then return none("No s175 audit on record") end
    if too_old(status.date) then
      return none(format("Latest s175 audit on record is for %s, too old to use", academic_year(status.date)))
    end
    local year = academic_year(status.date)
    if status.text == "Not returned" then
      return concern(threshold.s175_not_returned_points,
        format("s175 safeguarding audit for %s (due %s) not returned", year, status.date))
    end
    local points, parts = 0, {}
    local actions = on_date(e, "s175_actions_outstanding", status.date)
    if actions and actions.value and actions.value > 0 then
      points = points + threshold.s175_actions_points
      parts[#parts + 1] = format("%d action%s outstanding", math.floor(actions.value),
        actions.value == 1 and "" or "s")
    end
    local received = on_date(e, "s175_received", status.date)
    local received_on = received and iso_date(received.text)
    if received_on then
      local late = days_between(status.date, received_on)
      if late > threshold.s175_late_days then
        points = points + threshold.s175_late_points
        parts[#parts + 1] = format("returned %d days late (received %s, due %s; allowed %d days)",
          math.floor(late + 0.5), received_on, status.date, threshold.s175_late_days)
      end
    end
    if points > 0 then
      return watch(points, format("s175 safeguarding audit for %s: %s", year, table.concat(parts, "; ")))
    end
    return none(format("s175 safeguarding audit for %s: %s", year, status.text))
  end,
}
