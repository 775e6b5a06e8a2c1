import { Card, Code, Stack, Text, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useQueryState } from 'nuqs';
import { useMemo } from 'react';

import { downloadExport } from '@/api/download';
import type { components } from '@/api/schema';
import { Chart } from '@/components/chart/Chart';
import { ErrorPanel } from '@/components/ErrorPanel';
import { ExportButtons } from '@/components/ExportButtons';
import { KpiTile } from '@/components/KpiTile';
import { QueryView } from '@/components/QueryView';
import { DataTable } from '@/components/table/DataTable';
import { formatDay } from '@/formatting/dates';
import { formatCurrency } from '@/formatting/numbers';
import { BacktestPanel } from '@/features/aw-sales/components/BacktestPanel';
import { forecastOption } from '@/features/aw-sales/components/forecast-chart';
import { describeMethod, levelBreakDate } from '@/features/aw-sales/components/forecast-method';
import { LabelledSegments } from '@/features/aw-sales/components/LabelledSegments';
import classes from '@/features/aw-sales/components/sales.module.css';
import { TableToggle } from '@/features/aw-sales/components/TableToggle';
import { DEFAULT_HORIZON, HORIZONS, type Horizon, salesParams } from '@/features/aw-sales/sales-params';

type SalesForecast = components['schemas']['SalesForecast'];
type SalesHistory = components['schemas']['SalesHistory'];
type ForecastPoint = components['schemas']['ForecastPointOut'];

const SERIES_LABELS: Record<string, string> = { internet_revenue: 'internet revenue' };

interface SalesForecastSectionProps {
  forecast: UseQueryResult<SalesForecast>;
  /** Daily history drawn before the forecast. */
  recent: UseQueryResult<SalesHistory>;
}

/** The next days' internet revenue with its 80% band, how it is made and how far to trust it. */
export function SalesForecastSection({ forecast, recent }: SalesForecastSectionProps) {
  const [horizon, setHorizon] = useQueryState('horizon', salesParams.horizon);
  return (
    <section aria-labelledby="forecast-heading">
      <div className={classes.sectionHead}>
        <Title order={2} size="h4" id="forecast-heading">
          Forecast
        </Title>
        <ExportButtons
          what="the revenue forecast"
          download={(format) =>
            downloadExport(
              '/api/aw/export/sales-forecast',
              format,
              { horizon_days: horizon },
              'AdventureWorks revenue forecast export',
            )
          }
        />
      </div>
      <div className={classes.controls}>
        <LabelledSegments
          label="Days ahead"
          value={String(horizon)}
          data={HORIZONS.map((h) => ({ value: String(h), label: `${h} days` }))}
          onChange={(next) => {
            const days = Number(next) as Horizon;
            void setHorizon(days === DEFAULT_HORIZON ? null : days);
          }}
        />
      </div>
      <Stack gap="md" mt="md">
        <QueryView
          query={forecast}
          what="the revenue forecast"
          loadingHeight={420}
          empty={(data) =>
            data.points.length === 0
              ? { title: 'No forecast', hint: 'The API returned no forecast days for this horizon.' }
              : null
          }
        >
          {(data) => <ForecastBody forecast={data} recent={recent} />}
        </QueryView>
      </Stack>
    </section>
  );
}

function ForecastBody({ forecast, recent }: { forecast: SalesForecast; recent: UseQueryResult<SalesHistory> }) {
  const actuals = useMemo(() => recent.data?.points ?? [], [recent.data]);
  const breakDate = levelBreakDate(forecast.method);
  const { option, zoomFrom } = useMemo(() => {
    // After a level break, open zoomed on the days the forecast is built from, so that the
    // y axis fits them rather than the older, much larger days.
    const start = breakDate !== null && actuals.some((p) => p.date < breakDate) ? breakDate : null;
    return { option: forecastOption(forecast, actuals, start), zoomFrom: start };
  }, [forecast, actuals, breakDate]);
  const horizon = forecast.points.length;
  const total = forecast.points.reduce((sum, p) => sum + p.forecast, 0);
  const lastDays = actuals.slice(-horizon);
  const actualTotal = lastDays.length === horizon ? lastDays.reduce((sum, p) => sum + p.internet_revenue, 0) : null;
  const change = actualTotal !== null && actualTotal > 0 ? ((total - actualTotal) / actualTotal) * 100 : null;
  const series = SERIES_LABELS[forecast.series] ?? forecast.series.replaceAll('_', ' ');
  const first = forecast.points[0]?.date;
  const last = forecast.points.at(-1)?.date;
  const plain = describeMethod(forecast.method);
  return (
    <>
      <div className={classes.tiles}>
        <KpiTile
          testId="forecast-total"
          label={`Forecast, next ${horizon} days`}
          value={formatCurrency(total, { compact: true })}
          exact={formatCurrency(total)}
          change={change}
          against={`vs the last ${horizon} days' actual ${series}`}
          footer={<Text size="xs" c="dimmed">{series}, {formatDay(first)} – {formatDay(last)}</Text>}
        />
        <KpiTile
          testId="recent-total"
          label={`Actual, last ${horizon} days`}
          value={actualTotal === null ? '—' : formatCurrency(actualTotal, { compact: true })}
          exact={actualTotal === null ? undefined : formatCurrency(actualTotal)}
          footer={
            <Text size="xs" c="dimmed">
              {series}, up to {formatDay(forecast.as_of)}
            </Text>
          }
        />
      </div>
      <Card withBorder radius="md" padding="sm">
        <Text fw={600} size="sm">
          Daily {series}: the last {actuals.length > 0 ? actuals.length : 'few'} days and the next {horizon}, with the 80% interval
        </Text>
        {recent.isError ? (
          <ErrorPanel error={recent.error} what="the recent history" onRetry={() => void recent.refetch()} />
        ) : null}
        <Chart
          option={option}
          height={400}
          label={`Daily ${series}: ${actuals.length} days of actuals up to ${formatDay(forecast.as_of)}, then a ${horizon}-day forecast with its 80% interval; the forecast days are in the table below.`}
        />
        {zoomFrom !== null && breakDate !== null ? (
          <Text size="xs" c="dimmed" mt={4} data-testid="forecast-zoom-note">
            Zoomed to the days since the level break on {formatDay(breakDate)}, the days the forecast
            is built from; drag the slider to see the earlier days.
          </Text>
        ) : null}
      </Card>
      <div className={classes.explain}>
        <Card withBorder radius="md" padding="sm">
          <Title order={3} size="h5" mb={6}>
            How the forecast is made
          </Title>
          <Text size="sm" data-testid="forecast-method-words">
            {plain ?? 'The method is described by the API as shown below.'}
          </Text>
          <Text size="xs" c="dimmed" mt="xs">
            Method as reported:
          </Text>
          <Code block className={classes.methodRaw} data-testid="forecast-method">
            {forecast.method}
          </Code>
        </Card>
        <Card withBorder radius="md" padding="sm">
          <Title order={3} size="h5" mb={6}>
            Can we trust it?
          </Title>
          <BacktestPanel backtest={forecast.backtest} />
        </Card>
      </div>
      <TableToggle urlKey="ftable" what={`the ${horizon} forecast days`} testId="forecast-table" defaultOpen>
        <DataTable
          data={forecast.points}
          columns={forecastColumns}
          caption={`Forecast of daily ${series}, ${formatDay(first)} to ${formatDay(last)}, with the 80% interval`}
          urlKey="f"
          defaultSort="date"
          getRowId={(row) => row.date}
        />
      </TableToggle>
    </>
  );
}

const column = createColumnHelper<ForecastPoint>();

const forecastColumns = [
  column.accessor('date', { header: 'Day', cell: (info) => formatDay(info.getValue()) }),
  column.accessor('forecast', {
    header: 'Forecast',
    cell: (info) => formatCurrency(info.getValue()),
    meta: { numeric: true },
  }),
  column.accessor('lower', {
    header: 'Lower (80%)',
    cell: (info) => formatCurrency(info.getValue()),
    meta: { numeric: true },
  }),
  column.accessor('upper', {
    header: 'Upper (80%)',
    cell: (info) => formatCurrency(info.getValue()),
    meta: { numeric: true },
  }),
];
