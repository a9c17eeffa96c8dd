-- Numbers that decide a risk's band and when its review is overdue. Edit them here;
-- nothing else needs changing. A risk's rating is likelihood x impact (each 1 to 5), so
-- ratings run from 1 to 25; the band is the highest one whose lower bound the rating reaches.
return {
  -- Lowest rating in the medium band (below it: low).
  band_medium = 5,
  -- Lowest rating in the high band.
  band_high = 10,
  -- Lowest rating in the very high band.
  band_very_high = 15,
  -- Review period, in months, for a risk whose row leaves "Review period (months)" empty.
  default_review_months = 1,
  -- A review held up to this many days after it fell due still counts as on time
  -- (meetings do not fall on the same date each month).
  review_grace_days = 14,
  -- A rating change of at least this much counts as rising or falling (1 = any change).
  direction_min_change = 1,
}
