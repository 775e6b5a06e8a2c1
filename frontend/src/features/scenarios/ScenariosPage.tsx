import { Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';

import { wwiQueries } from '@/api/queries/wwi';
import { PageHeader } from '@/components/PageHeader';
import { SavedScenarios } from '@/features/scenarios/components/SavedScenarios';
import { ScenarioForm } from '@/features/scenarios/components/ScenarioForm';
import classes from '@/features/scenarios/components/scenarios.module.css';

/** What-if scenarios: run a new one, or open a saved one. */
export function ScenariosPage() {
  // The form's item picker loads this too: it gives the data's date.
  const stock = useQuery(wwiQueries.recommendations(null));
  return (
    <Stack gap="lg">
      <PageHeader
        title="What-if scenarios"
        question="What if demand or lead times change? See what WideWorldImporters would have to order, against today's recommendations."
        asOf={stock.data?.as_of}
      />
      <div className={classes.layout}>
        <ScenarioForm />
        <SavedScenarios />
      </div>
    </Stack>
  );
}
