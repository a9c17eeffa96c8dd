-- Exclusions: the permanent exclusion rate and the suspension rate in the latest year
-- (per 100 pupils on roll), against thresholds for each kind of school. A rate at least
-- `exclusions_concern_multiple` times its watch level is a concern.

-- Which set of thresholds applies: "primary", "secondary", "special" or "ap"; nil when
-- the school's phase is not known.
local function setting(e)
  local t = (e.attr.type or ""):lower()
  if t:find("special", 1, true) then return "special" end
  if t:find("pupil referral", 1, true) or t:find("alternative provision", 1, true) then return "ap" end
  if phase_unknown(e) then return nil end
  local phase = e.attr.phase
  if phase == "Primary" or phase == "Middle deemed primary" then return "primary" end
  return "secondary"
end

local KIND_LABEL = {
  primary = "primary school",
  secondary = "secondary school",
  special = "special school",
  ap = "alternative provision",
}

-- Level of one rate: 2 concern, 1 watch, 0 none; and a phrase describing it.
-- `count` is the matching number of exclusions or suspensions, when known.
local function rate_level(label, o, count, noun, watch_at)
  if not o or not o.value then return 0, nil end
  local n = ""
  if count and count.value then
    n = format("%d %s%s, ", math.floor(count.value), noun, count.value == 1 and "" or "s")
  end
  local phrase = format("%s %.2f (%swatch at %g)", label, o.value, n, watch_at)
  if o.value >= watch_at * threshold.exclusions_concern_multiple then return 2, phrase end
  if o.value >= watch_at then return 1, phrase end
  return 0, phrase
end

indicator {
  id = "exclusions",
  title = "Permanent exclusions and suspensions",
  applies = is_open,
  evaluate = function(e)
    local perm = e:latest("exclusion_perm_rate")
    local susp = e:latest("suspension_rate")
    local dated = perm or susp
    if not dated then return none("No exclusions figures published for this school") end
    if too_old(dated.date) then
      return none(format("Latest exclusions figures are from %s, too old to use", academic_year(dated.date)))
    end
    local kind = setting(e)
    if not kind then return phase_not_known(e) end
    local perm_count = perm and on_date(e, "exclusions_perm", perm.date)
    local susp_count = susp and on_date(e, "suspensions", susp.date)
    local perm_level, perm_text = rate_level("permanent exclusion rate", perm, perm_count,
      "exclusion", threshold["perm_excl_rate_" .. kind])
    local susp_level, susp_text = rate_level("suspension rate", susp, susp_count,
      "suspension", threshold["suspension_rate_" .. kind])
    local level = math.max(perm_level, susp_level)
    local parts = {}
    if perm_level > 0 then parts[#parts + 1] = perm_text end
    if susp_level > 0 then parts[#parts + 1] = susp_text end
    local year = academic_year(dated.date)
    if level == 2 then
      return concern(threshold.exclusions_concern_points,
        format("In %s: %s (%s thresholds; concern at %g times the watch level)",
          year, table.concat(parts, "; "), KIND_LABEL[kind], threshold.exclusions_concern_multiple))
    end
    if level == 1 then
      return watch(threshold.exclusions_watch_points,
        format("In %s: %s (%s thresholds)", year, table.concat(parts, "; "), KIND_LABEL[kind]))
    end
    local shown = {}
    if perm_text then shown[#shown + 1] = perm_text end
    if susp_text then shown[#shown + 1] = susp_text end
    if #shown == 0 then return none(format("Exclusions figures for %s not published", year)) end
    return none(format("In %s: %s", year, table.concat(shown, "; ")))
  end,
}
