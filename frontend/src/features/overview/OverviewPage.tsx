import { Card, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { parseAsNumberLiteral, useQueryState } from 'nuqs';

import { awQueries } from '@/api/queries/aw';
import { wwiQueries } from '@/api/queries/wwi';
import { PageHeader } from '@/components/PageHeader';
import { QueryView } from '@/components/QueryView';
import { ChannelSplit } from '@/features/overview/components/ChannelSplit';
import { JobRuns } from '@/features/overview/components/JobRuns';
import { KpiStrip } from '@/features/overview/components/KpiStrip';
import classes from '@/features/overview/components/overview.module.css';
import { OutlookTiles } from '@/features/overview/components/OutlookTiles';
import { RevenueSparkline } from '@/features/overview/components/RevenueSparkline';
import { WINDOWS, WindowPicker } from '@/features/overview/components/WindowPicker';

export function OverviewPage() {
  const [days, setDays] = useQueryState('days', parseAsNumberLiteral(WINDOWS).withDefault(90));
  const aw = useQuery(awQueries.kpis(days));
  const wwi = useQuery(wwiQueries.kpis(days));
  return (
    <Stack gap="lg">
      <PageHeader
        title="Overview"
        question={`How are we doing? The last ${days} days against the same days a year earlier.`}
        asOf={aw.data?.as_of ?? wwi.data?.as_of}
        actions={<WindowPicker value={days} onChange={(next) => void setDays(next === 90 ? null : next)} />}
      />
      <section aria-labelledby="aw-heading">
        <Title order={2} size="h4" id="aw-heading" mb="xs">
          AdventureWorks
        </Title>
        <QueryView query={aw} what="the AdventureWorks KPIs" loadingHeight={92}>
          {(data) => <KpiStrip kpis={data} testIdPrefix="aw" />}
        </QueryView>
      </section>
      <section aria-labelledby="wwi-heading">
        <Title order={2} size="h4" id="wwi-heading" mb="xs">
          WideWorldImporters
        </Title>
        <QueryView query={wwi} what="the WideWorldImporters KPIs" loadingHeight={92}>
          {(data) => <KpiStrip kpis={data} testIdPrefix="wwi" />}
        </QueryView>
      </section>
      <div className={classes.panels}>
        <Card withBorder radius="md" padding="sm">
          <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={4}>
            AW revenue per month, last 12 months
          </Text>
          <RevenueSparkline />
        </Card>
        <Card withBorder radius="md" padding="sm">
          <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={4}>
            AW revenue by channel, last {days} days
          </Text>
          <QueryView query={aw} what="the channel split" loadingHeight={64}>
            {(data) => <ChannelSplit channels={data.channels} />}
          </QueryView>
        </Card>
      </div>
      <section aria-labelledby="outlook-heading">
        <Title order={2} size="h4" id="outlook-heading" mb="xs">
          What needs attention
        </Title>
        <OutlookTiles />
      </section>
      <section aria-labelledby="jobs-heading">
        <Title order={2} size="h4" id="jobs-heading" mb="xs">
          Last run of each job
        </Title>
        <Card withBorder radius="md" padding="sm">
          <div className={classes.panels}>
            <JobRuns service="aw" />
            <JobRuns service="wwi" />
            <JobRuns service="gateway" />
          </div>
        </Card>
      </section>
    </Stack>
  );
}
