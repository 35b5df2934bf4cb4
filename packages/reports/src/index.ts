export { addTallies } from './add';
export { dayClips, type DayClip } from './days';
export { mergeReport, type MergeInput } from './merge';
export { resolveRange, viDate, type ResolvedRange } from './range';
export { Durations, OfficialRatings, percentile, Ratings, timeStats } from './stats';
export {
  DAY_MS,
  decodedBytes,
  decodeTally,
  emptyTally,
  encodeTally,
  TALLY_LIMITS,
  TALLY_VERSION,
  TALLY_VERSIONS_READ,
  zeroField,
  type DayTally,
  type DayWork,
  type DossierGroup,
  type OfficialRatingGroup,
  type DurationGroup,
  type PauseGroup,
  type RatingGroup,
} from './tally';
