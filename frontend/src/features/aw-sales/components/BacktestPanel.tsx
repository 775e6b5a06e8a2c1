import { Alert, List, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconInfoCircle } from '@tabler/icons-react';

import type { components } from '@/api/schema';
import { formatPercent } from '@/formatting/numbers';
import { judgeBacktest, NOMINAL_COVERAGE_PCT, type VerdictLevel } from '@/features/aw-sales/components/forecast-verdict';
import classes from '@/features/aw-sales/components/sales.module.css';

type ForecastBacktest = components['schemas']['ForecastBacktest'];

const LOOK: Record<VerdictLevel, { color: string; icon: typeof IconAlertTriangle }> = {
  sound: { color: 'teal', icon: IconCircleCheck },
  caution: { color: 'yellow', icon: IconInfoCircle },
  untested: { color: 'yellow', icon: IconAlertTriangle },
  'not-meaningful': { color: 'red', icon: IconAlertTriangle },
};

/** The backtest's verdict in words, then the figures it rests on. */
export function BacktestPanel({ backtest }: { backtest: ForecastBacktest }) {
  const verdict = judgeBacktest(backtest);
  const { color, icon: Icon } = LOOK[verdict.level];
  return (
    <Stack gap="sm">
      <Alert
        variant="light"
        color={color}
        title={verdict.headline}
        icon={<Icon aria-hidden />}
        data-testid="backtest-verdict"
        data-level={verdict.level}
      >
        <List size="sm" spacing={4}>
          {verdict.reasons.map((reason) => (
            <List.Item key={reason}>{reason}</List.Item>
          ))}
        </List>
      </Alert>
      {verdict.level === 'untested' ? null : <BacktestFigures backtest={backtest} />}
    </Stack>
  );
}

/** The figures a verdict rests on, and how they were made. */
function BacktestFigures({ backtest }: { backtest: ForecastBacktest }) {
  const stretches = backtest.folds === 1 ? 'the newest' : `each of the ${String(backtest.folds)} newest`;
  return (
    <>
      <Text size="xs" c="dimmed" data-testid="backtest-method">
        Backtest: the same procedure fitted without {stretches} {backtest.horizon_days}-day stretches since the
        latest level break, then scored on them. Lower errors are better.
      </Text>
      <dl className={classes.figures}>
        <dt>Forecast error, sMAPE</dt>
        <dd data-testid="backtest-smape">{formatPercent(backtest.smape)}</dd>
        <dt>Seasonal-naive baseline (same weekday last week), sMAPE</dt>
        <dd data-testid="backtest-baseline-smape">{formatPercent(backtest.baseline_smape)}</dd>
        <dt>Forecast error, MAPE</dt>
        <dd data-testid="backtest-mape">
          {backtest.mape === null ? 'not defined (a day without sales)' : formatPercent(backtest.mape)}
        </dd>
        <dt>Days inside the 80% interval (expected {formatPercent(NOMINAL_COVERAGE_PCT, 0)})</dt>
        <dd data-testid="backtest-coverage">{formatPercent(backtest.coverage_pct)}</dd>
      </dl>
    </>
  );
}

