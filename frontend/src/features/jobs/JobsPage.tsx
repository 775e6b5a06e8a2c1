import { Stack, Tabs } from '@mantine/core';
import { useQueryStates } from 'nuqs';

import { JOB_SERVICE_NAMES, JOB_SERVICES } from '@/api/queries/operations';
import { PageHeader } from '@/components/PageHeader';
import { ServiceJobs } from '@/features/jobs/components/ServiceJobs';
import { jobsParams } from '@/features/jobs/jobs-params';

export function JobsPage() {
  const [{ service }, setParams] = useQueryStates(jobsParams);
  return (
    <Stack gap="md">
      <PageHeader
        title="Jobs"
        question="Did last night's work run? Each service's scheduled jobs, their runs and data-quality checks."
      />
      <Tabs
        value={service}
        keepMounted={false}
        onChange={(value) => {
          const next = JOB_SERVICES.find((candidate) => candidate === value) ?? 'aw';
          // Job ids belong to one service: its filters do not carry over to another.
          void setParams({ service: next === 'aw' ? null : next, status: null, job: null, runs: null });
        }}
      >
        <Tabs.List aria-label="Service">
          {JOB_SERVICES.map((candidate) => (
            <Tabs.Tab key={candidate} value={candidate} data-testid={`jobs-tab-${candidate}`}>
              {JOB_SERVICE_NAMES[candidate]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {JOB_SERVICES.map((candidate) => (
          <Tabs.Panel key={candidate} value={candidate} pt="md">
            <ServiceJobs service={candidate} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
