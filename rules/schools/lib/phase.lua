-- A school's phase decides which thresholds apply. Every indicator file can use these names.

-- Whether the data gives the school no phase. Such a school is still assessed by the
-- rules that depend on phase, so that they say its phase is not known rather than guess.
function phase_unknown(e)
  return (e.attr.phase or "") == ""
end

-- The result of a rule that cannot choose its thresholds without a phase.
function phase_not_known(e)
  return none(format("phase not known: %s has no phase in the data (the GIAS register gives it), "
    .. "so no threshold was chosen", e.key))
end
