-- Dates as the published files give them. Every indicator file can use these names.

-- "2023-08-31" -> "2022/23": results, absence and exclusions are dated at the end of
-- their academic year.
function academic_year(date)
  local y, m = tonumber(date:sub(1, 4)), tonumber(date:sub(6, 7))
  if m <= 8 then y = y - 1 end
  return format("%d/%02d", y, (y + 1) % 100)
end

-- "01-09-2023", "01/09/2023" or "2023-09-01" -> "2023-09-01"; nil if not a date.
function iso_date(s)
  if not s then return nil end
  local d, m, y = s:match("^(%d%d)[-/](%d%d)[-/](%d%d%d%d)$")
  if d then return format("%s-%s-%s", y, m, d) end
  if s:match("^%d%d%d%d%-%d%d%-%d%d$") then return s end
  return nil
end

-- Whether a figure dated `date` is too old to judge a school by today.
function too_old(date)
  return years_since(date) > threshold.data_max_age_years
end
