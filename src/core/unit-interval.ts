/** Probabilities, severities and distress live in [0, 1]: noise added to them is clamped back in. */
export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
