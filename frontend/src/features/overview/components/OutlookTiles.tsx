import { Anchor, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';

import { awQueries } from '@/api/queries/aw';
import { wwiQueries } from '@/api/queries/wwi';
import { KpiTile } from '@/components/KpiTile';
import { QueryView } from '@/components/QueryView';
import { formatDay } from '@/formatting/dates';
import { formatCount, formatCurrency } from '@/formatting/numbers';

import classes from '@/features/overview/components/overview.module.css';

/** The limit the API allows for one page of events: enough to count the open ones. */

/** What needs attention next: the forecast, critical stock, open stock events. */
export function OutlookTiles() {
  const forecast = useQuery(awQueries.forecast(30));
  const critical = useQuery(wwiQueries.recommendations('critical'));
  // Only the count is shown: one event and the page's total is all it needs.
  const events = useQuery(wwiQueries.events(true, null, 1));
  return (
    <div className={classes.tiles}>
      <QueryView query={forecast} what="the forecast" loadingHeight={92}>
        {(data) => {
          const total = data.points.reduce((sum, p) => sum + p.forecast, 0);
          const first = data.points[0]?.date;
          const last = data.points.at(-1)?.date;
          return (
            <KpiTile
              testId="outlook-forecast"
              label="AW revenue forecast, next 30 days"
              value={formatCurrency(total, { compact: true })}
              exact={formatCurrency(total)}
              footer={
                <Text size="xs" c="dimmed">
                  {formatDay(first)} – {formatDay(last)} ·{' '}
                  <Anchor component={Link} to="/aw/sales" size="xs">
                    details
                  </Anchor>
                </Text>
              }
            />
          );
        }}
      </QueryView>
      <QueryView query={critical} what="the critical stock items" loadingHeight={92}>
        {(data) => (
          <KpiTile
            testId="outlook-critical"
            label="WWI critical stock items"
            value={formatCount(data.items.length)}
            footer={
              <Anchor component={Link} to="/wwi/stock?urgency=critical" size="xs">
                {data.items.length === 0 ? 'nothing to order urgently' : 'see what to order'}
              </Anchor>
            }
          />
        )}
      </QueryView>
      <QueryView query={events} what="the open stock events" loadingHeight={92}>
        {(data) => (
          <KpiTile
            testId="outlook-events"
            label="WWI open stock events"
            value={formatCount(data.total)}
            footer={
              <Anchor component={Link} to="/wwi/events?open=true" size="xs">
                review events
              </Anchor>
            }
          />
        )}
      </QueryView>
    </div>
  );
}
