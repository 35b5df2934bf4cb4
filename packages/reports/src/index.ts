export { addTallies } from './add';
export { dayClips, type DayClip } from './days';
export { mergeReport, type MergeInput } from './merge';
export { resolveRange, viDate, type ResolvedRange } from './range';
export { Durations, percentile, Ratings, timeStats } from './stats';
export {
  DAY_MS,
  decodedBytes,
  decodeTally,
  emptyTally,
  encodeTally,
  TALLY_LIMITS,
  TALLY_VERSION,
  zeroField,
  type DayTally,
  type DayWork,
  type DurationGroup,
  type PauseGroup,
  type RatingGroup,
} from './tally';
