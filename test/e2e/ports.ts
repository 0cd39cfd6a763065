/**
 * Fixed e2e ports, shifted by `E2E_PORT_OFFSET` so that two checkouts on one machine can run their
 * end-to-end suites at the same time without fighting over a port.
 *
 * @example
 * const edge = await startEdge({ port: e2ePort(8821) });
 */
export function e2ePort(port: number): number {
  return port + Number(process.env.E2E_PORT_OFFSET ?? 0);
}
