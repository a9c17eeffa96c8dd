pack {
  name = "mini",
  title = "Mini risk assessment",
  kind = "school",
  -- Closed schools are not assessed.
  applies = function(e) return e.attr.status ~= "Closed" end,
}
