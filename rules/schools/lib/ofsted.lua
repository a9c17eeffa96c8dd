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

-- The latest graded inspection with a judgement and the one before it (either may be nil).
function latest_graded(e)
  local g = published(e, "ofsted_overall")
  return g[#g], g[#g - 1]
end
