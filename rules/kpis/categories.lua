-- RAG status. A KPI gets the highest status whose min_score its points reach.
categories {
  { id = "red", label = "Red", min_score = 50,
    description = "Target missed and not improving: needs a recovery plan." },
  { id = "amber", label = "Amber", min_score = 20,
    description = "Target missed but moving the right way." },
  { id = "green", label = "Green", min_score = 0,
    description = "Target met, or no target set." },
}
