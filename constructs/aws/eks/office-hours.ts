/**
 * Office hours of an environment and their checks: plain values and functions, no provider import,
 * so the config schema (and every tool that reads config) can check them without loading cdktf.
 */

/** Days of the week, in cron order from Sunday (0). */
export const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;
/** A day of the week. */
export type Weekday = (typeof WEEKDAYS)[number];

/** When people use the environment. */
export interface OfficeHours {
  /** IANA time zone the hours are in, e.g. "Europe/Berlin" (daylight saving is followed). */
  readonly timeZone: string;
  /** Days with office hours. */
  readonly days: readonly Weekday[];
  /** First minute awake, "HH:MM" (24 h). */
  readonly start: string;
  /** First minute asleep, "HH:MM" (24 h), after `start` on the same day. */
  readonly end: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** True when `zone` is an IANA time zone this runtime (and so the ASG service) knows, e.g. Europe/Berlin. */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Minutes after midnight of "HH:MM", or undefined when it is not a 24 h time. */
export function minutesOf(time: string): number | undefined {
  const match = HHMM.exec(time);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** One problem with office hours. */
export interface OfficeHoursProblem {
  /** The field at fault. */
  readonly field: keyof OfficeHours;
  /** What is wrong with its value and the fix, e.g. `"7am" is not a 24 h time; use HH:MM like 07:00`. */
  readonly message: string;
}

/** Every problem with the office hours, each naming the field, the value and the fix; empty when valid. */
export function officeHoursProblems(hours: OfficeHours): OfficeHoursProblem[] {
  const problems: OfficeHoursProblem[] = [];
  if (!isTimeZone(hours.timeZone)) {
    problems.push({ field: "timeZone", message: `"${hours.timeZone}" is not an IANA time zone; use a name like Europe/Berlin or UTC` });
  }
  if (hours.days.length === 0) problems.push({ field: "days", message: `is empty; list the office days, e.g. ["MON", "TUE", "WED", "THU", "FRI"]` });
  const bad = hours.days.filter((d) => !(WEEKDAYS as readonly string[]).includes(d));
  if (bad.length > 0) problems.push({ field: "days", message: `${bad.join(", ")} is not a day; use ${WEEKDAYS.join(", ")}` });
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  if (start === undefined) problems.push({ field: "start", message: `"${hours.start}" is not a 24 h time; use HH:MM like 07:00` });
  if (end === undefined) problems.push({ field: "end", message: `"${hours.end}" is not a 24 h time; use HH:MM like 19:00` });
  if (start !== undefined && end !== undefined && end <= start) {
    problems.push({ field: "end", message: `${hours.end} is not after start ${hours.start}; office hours must end later the same day (e.g. 07:00-19:00)` });
  }
  return problems;
}

/** `M H * * d,d` in the ASG's cron syntax (minute hour day month weekday, Sunday = 0). */
export function weeklyRecurrence(time: string, days: readonly Weekday[]): string {
  const [hour, minute] = time.split(":").map(Number);
  const numbers = [...new Set(days.map((d) => WEEKDAYS.indexOf(d)))].sort((a, b) => a - b);
  return `${minute} ${hour} * * ${numbers.join(",")}`;
}
