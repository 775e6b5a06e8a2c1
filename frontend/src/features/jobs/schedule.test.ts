import { describe, expect, it } from 'vitest';

import { describeCron } from '@/features/jobs/schedule';

describe('cron schedules in words', () => {
  it('words the schedules the services use', () => {
    expect(describeCron('0 2 * * *')).toBe('Daily at 02:00 UTC');
    expect(describeCron('30 * * * *')).toBe('Hourly at :30');
    expect(describeCron('0 5 * * 1')).toBe('Mondays at 05:00 UTC');
    expect(describeCron('0 6 * * 1-5')).toBe('Monday to Friday at 06:00 UTC');
    expect(describeCron('15 4 * * 0,3')).toBe('Sundays and Wednesdays at 04:15 UTC');
    expect(describeCron('0 1 15 * *')).toBe('Monthly on day 15 at 01:00 UTC');
  });

  it('gives a schedule it cannot word as cron, never a wrong sentence', () => {
    expect(describeCron('*/5 * * * *')).toBe('cron */5 * * * * (UTC)');
    expect(describeCron('0 5 1-7 * 1')).toBe('cron 0 5 1-7 * 1 (UTC)');
    expect(describeCron('0 5 * 1 *')).toBe('cron 0 5 * 1 * (UTC)');
  });
});
