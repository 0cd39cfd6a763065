/**
 * Runs at most `n` tasks at a time; the rest wait their turn, in order. A finishing task hands its
 * slot straight to the next waiter, so the bound holds exactly.
 *
 * @example
 * const outbound = limiter(6);
 * await Promise.all(ids.map((id) => outbound(() => deliver(id))));
 */
export function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active < n) active++;
    else await new Promise<void>((resume) => waiting.push(resume));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
