-- Where a recommendation stands for the committee.
categories {
  { id = "attention", label = "Needs the committee's attention", min_score = 20,
    description = "Tracked today with a problem: a missing date, an overdue reassessment or a wrong category." },
  { id = "tracked", label = "Tracked today", min_score = 5,
    description = "Not yet concluded; progress is being reported." },
  { id = "concluded", label = "Concluded", min_score = 0,
    description = "Achieved, fully or late: no longer tracked." },
}
