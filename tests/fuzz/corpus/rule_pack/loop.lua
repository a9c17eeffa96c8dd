indicator {
  id = "loop",
  evaluate = function(e)
    local s = ""
    for i = 1, 1e9 do s = s .. "x" end
    return none(s)
  end,
}
