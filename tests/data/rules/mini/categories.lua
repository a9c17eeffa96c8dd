categories {
  { id = "intensive", label = "Intensive support", min_score = 60, description = "Needs the most help" },
  { id = "targeted", label = "Targeted support", min_score = 25 },
  { id = "universal", label = "Universal support", min_score = 0 },
}
