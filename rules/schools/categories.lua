-- Support categories. A school gets the highest category whose min_score is at or below
-- its total score; some indicators force a category whatever the score (an Inadequate
-- judgement or ineffective safeguarding forces Intensive support).
categories {
  {
    id = "intensive",
    label = "Intensive support",
    min_score = 60,
    description = "Serious concern: a school causing concern. Agree a support and challenge "
      .. "plan with the school (and its trust or diocese), review it every half term, and "
      .. "consider the local authority's or the regional director's formal powers.",
  },
  {
    id = "targeted",
    label = "Targeted support",
    min_score = 25,
    description = "Weaknesses that need a plan: the link adviser visits each term, agrees "
      .. "the priorities with the school and brokers support from a stronger school.",
  },
  {
    id = "universal",
    label = "Universal support",
    min_score = 0,
    description = "No significant concern: the school uses the universal offer (networks, "
      .. "training, data) and the annual conversation with its link adviser.",
  },
}
