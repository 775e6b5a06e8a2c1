import { Progress, Text } from '@mantine/core';

import classes from '@/components/score/ScoreBar.module.css';
import { formatDecimal } from '@/formatting/numbers';

/** A 0–100 score as a bar with its figure (rep scores, product demand). */
export function ScoreBar({ score }: { score: number }) {
  return (
    <div className={classes.bar}>
      <div className={classes.track}>
        <Progress value={Math.max(0, Math.min(score, 100))} size="md" color="blue" aria-hidden />
      </div>
      <Text size="sm" className={`${classes.label} figures`}>
        {formatDecimal(score)}
      </Text>
    </div>
  );
}
