import { Progress, Text, Tooltip } from '@mantine/core';

import { formatCurrency, formatPercent } from '@/formatting/numbers';
import { quotaStatus, STATUS_LOOK } from '@/features/aw-reps/components/rep-filters';
import classes from '@/features/aw-reps/components/reps.module.css';

/** The bar's full width: attainment beyond this is drawn as full (the score caps it too). */
const SCALE_PCT = 150;

/** Quota attainment as a bullet: the bar against a line at 100 %, with the figure and status. */
export function AttainmentBullet({ attainmentPct, quota, revenue }: { attainmentPct: number | null; quota: number | null; revenue: number }) {
  const status = quotaStatus(attainmentPct);
  const look = STATUS_LOOK[status];
  if (attainmentPct === null) {
    return (
      <Text size="sm" c="dimmed" data-status={status}>
        no quota in this window
      </Text>
    );
  }
  const width = (Math.min(Math.max(attainmentPct, 0), SCALE_PCT) / SCALE_PCT) * 100;
  return (
    <Tooltip
      label={`${formatCurrency(revenue)} of a ${formatCurrency(quota)} quota in the counted quota periods`}
      disabled={quota === null}
    >
      <div className={classes.bar} data-status={status}>
        <div className={classes.track} aria-hidden>
          <Progress value={width} size="md" color={look.color} />
          <span className={classes.target} style={{ left: `${(100 / SCALE_PCT) * 100}%` }} />
        </div>
        <Text size="sm" className={`${classes.barLabel} figures`}>
          {formatPercent(attainmentPct)}
          <Text span size="xs" c={look.color === 'yellow' ? 'yellow.8' : look.color} fw={600}>
            {' '}
            {look.label}
          </Text>
        </Text>
      </div>
    </Tooltip>
  );
}
