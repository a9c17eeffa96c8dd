return {
  -- Years without an inspection before a good or outstanding school is flagged.
  inspection_overdue_years = 5,
  -- Points for an overdue inspection.
  overdue_points = 10,
  -- Points for a "requires improvement" judgement.
  requires_improvement_points = 30,
  -- Points for an "inadequate" judgement.
  inadequate_points = 60,
}
