-- Budget: maintained schools' revenue balance at the latest financial year end. The local
-- authority holds budgets for maintained schools only (academies report to their trust
-- and the Department for Education).

local MAINTAINED = {
  ["Community school"] = true,
  ["Voluntary aided school"] = true,
  ["Voluntary controlled school"] = true,
  ["Foundation school"] = true,
  ["Local authority nursery school"] = true,
  ["Pupil referral unit"] = true,
  ["Community special school"] = true,
  ["Foundation special school"] = true,
}

-- 125400 -> "125,400"
local function pounds(v)
  local s = format("%d", math.floor(math.abs(v) + 0.5))
  local out = s:reverse():gsub("(%d%d%d)", "%1,"):reverse()
  if out:sub(1, 1) == "," then out = out:sub(2) end
  return "£" .. out
end

local function balance(v)
  if v < 0 then return "deficit of " .. pounds(v) end
  return "surplus of " .. pounds(v)
end

indicator {
  id = "budget_deficit",
  title = "Revenue deficit (maintained schools)",
  applies = function(e)
    return is_open(e) and MAINTAINED[e.attr.type or ""] == true
  end,
  evaluate = function(e)
    local o = e:latest("revenue_balance")
    if not o or not o.value then return none("No revenue balance on record") end
    if too_old(o.date) then
      return none(format("Latest revenue balance (%s) is too old to use", o.date))
    end
    local before = e:previous("revenue_balance")
    local trend = ""
    if before and before.value then
      trend = format("; %s a year earlier", balance(before.value))
    end
    if o.value < -threshold.deficit_concern_pounds then
      return concern(threshold.deficit_concern_points,
        format("Revenue %s at %s (concern beyond %s)%s", balance(o.value), o.date,
          pounds(threshold.deficit_concern_pounds), trend))
    end
    if o.value < 0 then
      return watch(threshold.deficit_watch_points,
        format("Revenue %s at %s%s", balance(o.value), o.date, trend))
    end
    return none(format("Revenue %s at %s%s", balance(o.value), o.date, trend))
  end,
}
