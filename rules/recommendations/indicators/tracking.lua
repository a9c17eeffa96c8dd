-- The checks of the scrutiny tracking process, on each recommendation's
-- dated evidence (measure tracking_category: 1-6, with the name as text;
-- anticipated_date and evidence as text, dated by the evidence entry).

local NAMES = {
  "Achieved (Fully)", "Achieved (Late)", "Not Achieved (Progress Made)",
  "Not Achieved (Obstacle)", "Not Achieved (Insufficient Progress)", "In Progress",
}

local function member(list, value)
  for _, v in ipairs(list) do
    if v == value then return true end
  end
  return false
end

-- The latest assessment (an observation with value 1-6), or nil.
local function latest(e)
  local h = e:history("tracking_category")
  for i = #h, 1, -1 do
    if h[i].value then return h[i] end
  end
  return nil
end

local function named(category)
  return format("%d %s", category, NAMES[category] or "?")
end

-- The anticipated date given with the latest assessment, if any.
local function anticipated(e, assessment)
  local a = e:latest("anticipated_date")
  if a and a.date == assessment.date then return a.text end
  return nil
end

local function concluded(e)
  local a = latest(e)
  return a ~= nil and member(threshold.concluding_categories, a.value)
end

local function tracked(e)
  return not concluded(e)
end

indicator {
  id = "latest_assessment",
  title = "Latest assessment",
  evaluate = function(e)
    local a = latest(e)
    if not a then return watch(threshold.tracked_points, "Not yet assessed", { show = "not assessed" }) end
    local text = format("Assessed %s on %s", named(a.value), a.date)
    if member(threshold.concluding_categories, a.value) then
      return none(text .. ": tracking concluded", { show = named(a.value) })
    end
    return watch(threshold.tracked_points, text .. ": still tracked", { show = named(a.value) })
  end,
}

indicator {
  id = "tracking",
  title = "Concluded or tracked today",
  evaluate = function(e)
    if concluded(e) then return none("Concluded", { show = "concluded" }) end
    return none("Tracked today", { show = "tracked" })
  end,
}

indicator {
  id = "anticipated_date_missing",
  title = "Category 3 or 5 without an anticipated completion date",
  applies = tracked,
  evaluate = function(e)
    local a = latest(e)
    if a and member(threshold.needs_anticipated_date, a.value) and not anticipated(e, a) then
      return concern(threshold.flag_points,
        format("Assessed %s on %s without an anticipated completion date", named(a.value), a.date))
    end
  end,
}

indicator {
  id = "in_progress_overdue",
  title = "In progress past the original completion date",
  applies = tracked,
  evaluate = function(e)
    local a = latest(e)
    local due = e.attr.original_date
    if a and a.value == 6 and due and due ~= "" and as_of > due then
      return concern(threshold.flag_points,
        format("Still 6 In Progress (assessed %s) after its original completion date %s: it must be reassessed",
               a.date, due))
    end
  end,
}

indicator {
  id = "achieved_late",
  title = "Achieved after the original date but marked 1",
  evaluate = function(e)
    local a = latest(e)
    local due = e.attr.original_date
    if a and a.value == 1 and due and due ~= "" and a.date > due then
      return concern(threshold.flag_points,
        format("Marked 1 Achieved (Fully) on %s, after its original completion date %s: it should be 2 Achieved (Late)",
               a.date, due))
    end
  end,
}

indicator {
  id = "anticipated_date_passed",
  title = "Anticipated completion date already passed",
  applies = tracked,
  evaluate = function(e)
    local a = latest(e)
    local when = a and anticipated(e, a)
    if when and when < as_of then
      return concern(threshold.flag_points,
        format("Anticipated completion date %s has passed (latest assessment %s on %s)", when, named(a.value), a.date))
    end
  end,
}
