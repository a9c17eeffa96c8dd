-- Dates as the plan's spreadsheet gives them. Every indicator file can use these names.

-- "31/03/2017", "1/4/2017", "31-03-2017" or "2017-03-31" -> "2017-03-31"; nil if not a date.
function iso_date(s)
  if not s then return nil end
  local d, m, y = s:match("^(%d%d?)[-/](%d%d?)[-/](%d%d%d%d)$")
  if d then return format("%s-%02d-%02d", y, tonumber(m), tonumber(d)) end
  if s:match("^%d%d%d%d%-%d%d%-%d%d$") then return s end
  return nil
end
