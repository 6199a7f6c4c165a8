/** Formats a duration for people: `12 ms` below a second, `1.23 s` above. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(Math.max(0, ms))} ms` : `${(ms / 1000).toFixed(2)} s`;
}
