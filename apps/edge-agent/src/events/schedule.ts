export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Detection is armed on `days` from `from` to `to` (HH:MM, local time); `to` before `from` runs past midnight. */
export interface ArmedPeriod {
  days: Weekday[];
  from: string;
  to: string;
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Local weekday and minute of the day of `at` in `timeZone` (the host's zone when undefined). */
export function localClock(at: number, timeZone?: string): { day: Weekday; minute: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(
    new Date(at),
  );
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: get('weekday').toLowerCase().slice(0, 3) as Weekday, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

/**
 * Whether detection is armed at `at`. No periods means always armed. A period that runs past midnight belongs
 * to the day it starts on.
 */
export function isArmed(periods: ArmedPeriod[] | undefined, at: number, timeZone?: string): boolean {
  if (!periods || periods.length === 0) return true;
  const { day, minute } = localClock(at, timeZone);
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7];
  return periods.some((p) => {
    const from = minutes(p.from);
    const to = minutes(p.to);
    if (from === to) return p.days.includes(day);
    if (from < to) return p.days.includes(day) && minute >= from && minute < to;
    return (p.days.includes(day) && minute >= from) || (p.days.includes(yesterday) && minute < to);
  });
}
