// Time windows over hourly rollups. Every window is a whole number of hours, aligned to UTC, because
// the rollups cannot be split inside an hour: "the last 24 h" is the 25 hours that overlap it.
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

export interface Window {
  /** ms, inclusive; the start of the first hour. */
  from: number;
  /** ms, exclusive. */
  to: number;
  /** First and last hour (floor(ms / HOUR_MS)), both inclusive. */
  fromHour: number;
  toHour: number;
}

/** The hours overlapping [from, to). */
export function windowOf(from: number, to: number): Window {
  const fromHour = Math.floor(from / HOUR_MS);
  const toHour = Math.max(fromHour, Math.ceil(to / HOUR_MS) - 1);
  return { from: fromHour * HOUR_MS, to: Math.max(to, (fromHour + 1) * HOUR_MS), fromHour, toHour };
}

/** The window of `length` ms that ends at `end` (exclusive), widened to whole hours. */
export function windowEnding(end: number, length: number): Window {
  return windowOf(end - length, end);
}

export function floorTo(t: number, step: number): number {
  return Math.floor(t / step) * step;
}

/** `2026-11-28` */
export function isoDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** `2026-11-28 14:00` (UTC) */
export function isoMinute(t: number): string {
  return new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}
