import { Progress, Text } from '@mantine/core';

import { formatDecimal } from '@/formatting/numbers';
import classes from '@/features/aw-reps/components/reps.module.css';

/** A 0–100 score as a bar with its figure. */
export function ScoreBar({ score }: { score: number }) {
  return (
    <div className={classes.bar}>
      <div className={classes.track}>
        <Progress value={Math.max(0, Math.min(score, 100))} size="md" color="blue" aria-hidden />
      </div>
      <Text size="sm" className={`${classes.barLabel} figures`}>
        {formatDecimal(score)}
      </Text>
    </div>
  );
}
