-- RAG status of a contract KPI. A KPI gets the highest status whose min_score its points reach.
categories {
  { id = "red", label = "Red", min_score = threshold.missed_not_improving_points,
    description = "Target missed and not improving: raised with the partner at the contract "
      .. "management group, with a recovery plan and date." },
  { id = "amber", label = "Amber", min_score = threshold.missed_improving_points,
    description = "Target narrowly missed, missed but improving, or not reported: the client "
      .. "function asks the partner for the reason and the next term's forecast." },
  { id = "green", label = "Green", min_score = 0,
    description = "Target met." },
}
