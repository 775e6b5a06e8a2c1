import { describe, expect, it } from 'vitest';

import { formatDay, formatDuration, formatMoment } from '@/formatting/dates';

describe('dates', () => {
  it('keeps a warehouse day on its calendar day whatever the time zone', () => {
    expect(formatDay('2014-01-28')).toBe('Jan 28, 2014');
  });

  it('reads moments without an offset as UTC (the embedded store)', () => {
    expect(formatMoment('2026-11-28T02:30:00')).toBe(formatMoment('2026-11-28T02:30:00Z'));
  });

  it('says durations in ms below a second, else in seconds', () => {
    expect(formatDuration(340)).toBe('340 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
  });
});
