import { isArmed, localClock, type ArmedPeriod } from './schedule';

// 2026-11-30 is a Monday
const at = (iso: string) => Date.parse(iso);

describe(isArmed.name, () => {
  it('should always be armed without periods', () => {
    expect(isArmed(undefined, at('2026-11-30T12:00:00Z'), 'UTC')).toBe(true);
    expect(isArmed([], at('2026-11-30T12:00:00Z'), 'UTC')).toBe(true);
  });

  it('should follow office hours on weekdays', () => {
    const office: ArmedPeriod[] = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00' }];
    expect(isArmed(office, at('2026-11-30T07:59:00Z'), 'UTC')).toBe(false);
    expect(isArmed(office, at('2026-11-30T08:00:00Z'), 'UTC')).toBe(true);
    expect(isArmed(office, at('2026-11-30T17:59:00Z'), 'UTC')).toBe(true);
    expect(isArmed(office, at('2026-11-30T18:00:00Z'), 'UTC')).toBe(false);
    expect(isArmed(office, at('2026-12-05T12:00:00Z'), 'UTC')).toBe(false); // Saturday
  });

  it('should run a night period past midnight into the next day', () => {
    const nights: ArmedPeriod[] = [{ days: ['fri'], from: '22:00', to: '06:00' }];
    expect(isArmed(nights, at('2026-12-04T23:00:00Z'), 'UTC')).toBe(true); // Friday night
    expect(isArmed(nights, at('2026-12-05T05:59:00Z'), 'UTC')).toBe(true); // Saturday early morning
    expect(isArmed(nights, at('2026-12-05T06:00:00Z'), 'UTC')).toBe(false);
    expect(isArmed(nights, at('2026-12-04T05:00:00Z'), 'UTC')).toBe(false); // Friday early morning belongs to Thursday
  });

  it('should read the clock in the site time zone', () => {
    expect(localClock(at('2026-11-30T23:30:00Z'), 'Asia/Shanghai')).toEqual({ day: 'tue', minute: 7 * 60 + 30 });
  });
});
