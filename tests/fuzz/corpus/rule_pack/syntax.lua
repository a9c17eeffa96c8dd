indicator {
  id = "broken"
  evaluate = function(e)
    return none("missing comma above"
end }
