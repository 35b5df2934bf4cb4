/** Taps in the top-left corner that open the admin PIN prompt, and the time they must fit in. */
export const GESTURE_TAPS = 5;
export const GESTURE_WINDOW_MS = 3000;
/** The corner, in CSS pixels from the top-left of the window. */
export const GESTURE_CORNER_PX = 80;

/**
 * Counts corner taps reported by the screen's preload: five within three seconds is the hidden
 * gesture. A citizen touching the corner now and then never completes it. Pure: times are given.
 */
export function tapCounter(taps = GESTURE_TAPS, windowMs = GESTURE_WINDOW_MS) {
  let times: number[] = [];
  return {
    /** Records a tap at `now`; true when it completes the gesture (which then starts over). */
    tap(now: number): boolean {
      times = times.filter((t) => now - t < windowMs);
      times.push(now);
      if (times.length < taps) return false;
      times = [];
      return true;
    },
  };
}
