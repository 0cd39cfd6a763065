/**
 * Exponential backoff with full jitter for the n-th failed attempt (1-based): a random delay in
 * [base·2^(n−1) / 2, base·2^(n−1)], capped, and never shorter than the remote's own Retry-After.
 *
 * @example
 * backoffSeconds(3, undefined, () => 0.5) // → 15 (base 5 s: 20 s window, half jitter)
 */
export const BASE_DELAY_SECONDS = 5;
export const MAX_DELAY_SECONDS = 60 * 60;

export function backoffSeconds(attempt: number, retryAfterSeconds?: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.ceil(ceiling / 2 + (ceiling / 2) * random());
  return Math.min(MAX_DELAY_SECONDS, Math.max(jittered, retryAfterSeconds ?? 0));
}
