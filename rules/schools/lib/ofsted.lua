-- Ofsted's graded judgements (ofsted_overall: 1 Outstanding .. 4 Inadequate), and which
-- schools are assessed at all. Every indicator file can use these names.

local JUDGEMENT = { "Outstanding", "Good", "Requires improvement", "Inadequate" }

-- Closed establishments stay in the store but are not assessed.
function is_open(e)
  return e.attr.status ~= "Closed"
end

-- 3 -> "Requires improvement"
function judgement_name(value)
  return JUDGEMENT[math.floor(value + 0.5)] or tostring(value)
end

-- How far apart, in days, an Ofsted file's inspection and the register's record of it may
-- be and still be the same inspection (the register sometimes gives another day of it).
local SAME_INSPECTION_DAYS = 7

-- Graded inspections with a judgement, oldest first: those in the Ofsted file
-- (ofsted_overall), and those known only from a GIAS extract's own Ofsted columns
-- (ofsted_rating_register, up to 2019), marked `register = true`. Where both record the
-- same inspection, the Ofsted file wins.
function graded(e)
  local out = published(e, "ofsted_overall")
  local from_file = #out
  for _, o in ipairs(e:history("ofsted_rating_register")) do
    local known = false
    for i = 1, from_file do
      known = known or math.abs(days_between(out[i].date, o.date)) <= SAME_INSPECTION_DAYS
    end
    if o.value and not known then
      out[#out + 1] = { value = o.value, date = o.date, text = o.text, register = true }
    end
  end
  table.sort(out, function(a, b) return a.date < b.date end)
  return out
end

-- The latest graded inspection with a judgement and the one before it (either may be nil).
function latest_graded(e)
  local g = graded(e)
  return g[#g], g[#g - 1]
end
