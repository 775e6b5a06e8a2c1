/** A job's cron schedule (standard five fields, UTC) in words. */

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const NUMBER = /^\d{1,2}$/;

function twoDigits(value: string): string {
  return value.padStart(2, '0');
}

function weekdays(field: string): string | null {
  const range = /^(\d)-(\d)$/.exec(field);
  if (range?.[1] !== undefined && range[2] !== undefined) {
    const from = WEEKDAYS[Number(range[1]) % 7];
    const to = WEEKDAYS[Number(range[2]) % 7];
    return from && to ? `${from} to ${to}` : null;
  }
  const days = field.split(',').map((day) => (NUMBER.test(day) ? WEEKDAYS[Number(day) % 7] : undefined));
  if (days.some((day) => day === undefined)) return null;
  const plural = days.map((day) => `${day ?? ''}s`);
  return plural.length === 1 ? (plural[0] ?? null) : `${plural.slice(0, -1).join(', ')} and ${plural.at(-1) ?? ''}`;
}

/**
 * "Daily at 02:30 UTC", "Hourly at :30", "Mondays at 05:00 UTC"; a schedule that has no
 * simple wording comes back as "cron 0 5 1-7 * 1 (UTC)".
 */
export function describeCron(cron: string): string {
  const fields = cron.trim().split(/\s+/);
  const fallback = `cron ${cron.trim()} (UTC)`;
  if (fields.length !== 5) return fallback;
  const [minute = '', hour = '', day = '', month = '', weekday = ''] = fields;
  if (!NUMBER.test(minute) || month !== '*') return fallback;
  if (hour === '*' && day === '*' && weekday === '*') {
    return `Hourly at :${twoDigits(minute)}`;
  }
  if (!NUMBER.test(hour)) return fallback;
  const time = `${twoDigits(hour)}:${twoDigits(minute)} UTC`;
  if (day === '*' && weekday === '*') return `Daily at ${time}`;
  if (day === '*') {
    const days = weekdays(weekday);
    return days === null ? fallback : `${days} at ${time}`;
  }
  if (NUMBER.test(day) && weekday === '*') return `Monthly on day ${day} at ${time}`;
  return fallback;
}
