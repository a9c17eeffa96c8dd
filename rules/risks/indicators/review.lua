-- Is the risk's review up to date? Each risk has a review period in months (the register's
-- "Review period (months)" column; usually 1). A risk is overdue when its last review plus
-- that period, plus a few days' grace, is before the date of the run. Being overdue is a
-- concern worth no points: the risk keeps its band, and the Review column says "overdue".

-- "2017-01-31" plus 1 month is "2017-02-28": the day is kept unless the month is shorter.
local function add_months(date, months)
  local y, m, d = date:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  y, m, d = tonumber(y), tonumber(m) + months, tonumber(d)
  y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
  local length = ({ 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 })[m]
  if m == 2 and y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0) then length = 29 end
  return format("%04d-%02d-%02d", y, m, math.min(d, length))
end

indicator {
  id = "review",
  title = "Review up to date",
  evaluate = function(e)
    local l, i = e:latest("likelihood"), e:latest("impact")
    local last = l and l.date
    if i and (not last or i.date > last) then last = i.date end
    if not last then
      return concern(0, "Never reviewed: score its likelihood and impact at the next meeting",
                     { show = "never" })
    end
    local months = math.tointeger(math.floor((tonumber(e.attr.review_months) or 0) + 0.5))
    if not months or months < 1 then months = threshold.default_review_months end
    local due = add_months(last, months)
    local late = days_between(due, as_of)
    local every = months == 1 and "monthly" or format("%d-monthly", months)
    if late > threshold.review_grace_days then
      return concern(0, format("Review overdue: last reviewed %s; the %s review was due %s, %d days ago",
                               last, every, due, late), { show = "overdue" })
    end
    return none(format("Reviewed %s; next %s review due %s", last, every, due), { show = "in date" })
  end,
}
