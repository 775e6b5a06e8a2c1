import { afterEach, describe, expect, it } from 'vitest';

import { formatDay, formatDuration, formatMoment } from '@/formatting/dates';

describe('dates', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    // Node applies a change of TZ at once, to Date and Intl alike.
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('keeps a warehouse day on its calendar day whatever the time zone', () => {
    expect(formatDay('2014-01-28')).toBe('Jan 28, 2014');
  });

  it('shows an API moment (UTC, ending in Z) in the reader’s time zone', () => {
    process.env.TZ = 'America/New_York';
    expect(formatMoment('2026-12-04T02:00:12Z')).toBe('Dec 3, 2026, 9:00:12 PM');
    process.env.TZ = 'Asia/Tokyo';
    expect(formatMoment('2026-12-04T02:00:12.5Z')).toBe('Dec 4, 2026, 11:00:12 AM');
  });

  it('says durations in ms below a second, else in seconds', () => {
    expect(formatDuration(340)).toBe('340 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
  });
});
