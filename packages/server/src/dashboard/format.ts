/** How the dashboard writes times, durations and run details. */
import type { RunRecord, RunTrigger, ScheduleRecord } from '../store/store.js';

/** `2026-12-03 18:40:12 UTC`. */
export function formatTime(epochMs: number | undefined): string {
  if (epochMs === undefined) return '—';
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `12 ms`, `3.4 s`, `2 min 5 s`, `1 h 3 min`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  // Rounded first, then the unit chosen: 999.6 ms was "1000 ms" and 59,960 ms "60.0 s".
  if (Math.round(ms) < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (Math.round(ms / 100) < 600) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1_000);
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** `4 s ago`, `12 min ago`. */
export function formatAge(epochMs: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - epochMs) / 1_000));
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3_600)} h ago`;
  return `${Math.round(seconds / 86_400)} days ago`;
}

/** How long a run took, or has been running (at `now`). */
export function runDuration(run: RunRecord, now: number): number | undefined {
  if (run.startedAt === undefined) return undefined;
  return (run.endedAt ?? now) - run.startedAt;
}

const TRIGGERS: Record<RunTrigger, string> = {
  remote: 'CLI (--remote)',
  api: 'API',
  schedule: 'Schedule',
  dashboard: 'Dashboard',
};

export function formatTrigger(trigger: RunTrigger): string {
  return TRIGGERS[trigger] ?? trigger;
}

/** `every 5 min`, or the cron pattern. */
export function formatWhen(schedule: ScheduleRecord): string {
  if (schedule.cron !== undefined) return `cron ${schedule.cron}`;
  const every = schedule.every ?? 0;
  if (every % 3_600_000 === 0) return `every ${every / 3_600_000} h`;
  if (every % 60_000 === 0) return `every ${every / 60_000} min`;
  return `every ${every / 1_000} s`;
}

/** The first block of a UUID, as a short name for a run. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}
