import { Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useQueryStates } from 'nuqs';

import { awQueries } from '@/api/queries/aw';
import { PageHeader } from '@/components/PageHeader';
import { RefreshButton } from '@/components/RefreshButton';
import { SalesForecastSection } from '@/features/aw-sales/components/SalesForecastSection';
import { SalesHistorySection } from '@/features/aw-sales/components/SalesHistorySection';
import { RECENT_DAYS, salesParams } from '@/features/aw-sales/sales-params';

/** Every query of this page lives under this key. */
const SALES_KEY = ['aw', 'sales'];

/** AdventureWorks sales: where revenue is going, by channel, and what the next weeks hold. */
export function AwSalesPage() {
  const [{ grain, days, horizon }] = useQueryStates(salesParams);
  const history = useQuery(awQueries.history(days, grain));
  const forecast = useQuery(awQueries.forecast(horizon));
  const recent = useQuery(awQueries.history(RECENT_DAYS, 'day'));
  return (
    <Stack gap="xl">
      <PageHeader
        title="AdventureWorks sales"
        question="Where is revenue going? Internet and reseller sales over time, and the next weeks' forecast."
        asOf={history.data?.as_of ?? forecast.data?.as_of ?? recent.data?.as_of}
        actions={
          <RefreshButton page="aw-sales" queryKey={SALES_KEY} />
        }
      />
      <SalesHistorySection query={history} />
      <SalesForecastSection forecast={forecast} recent={recent} />
    </Stack>
  );
}
