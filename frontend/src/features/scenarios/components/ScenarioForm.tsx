import { Button, Card, MultiSelect, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { type SubmitEvent, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';

import { ApiError } from '@/api/api-error';
import { wwiQueries } from '@/api/queries/wwi';
import { ErrorPanel } from '@/components/ErrorPanel';
import { newIdempotencyKey, useCreateScenario } from '@/features/scenarios/api/create-scenario';
import {
  EMPTY_FORM,
  formProblems,
  refusedFields,
  type ScenarioFormValues,
  toScenarioRequest,
} from '@/features/scenarios/components/scenario-form';

/**
 * Name, demand change, lead-time change and items of a new scenario. One Idempotency-Key
 * per submission: made when the form opens and whenever a value changes, kept for a retry
 * or a second click of the same values, so the API stores the scenario once.
 */
export function ScenarioForm() {
  const navigate = useNavigate();
  const mutation = useCreateScenario();
  const stock = useQuery(wwiQueries.recommendations(null));
  const [values, setValues] = useState<ScenarioFormValues>(EMPTY_FORM);
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [submitted, setSubmitted] = useState(false);
  // A second click can arrive before React has re-rendered the button as disabled.
  const inFlight = useRef(false);

  const itemChoices = useMemo(
    () =>
      (stock.data?.items ?? [])
        .map((item) => ({ value: String(item.wwi_stock_item_id), label: item.stock_item }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    [stock.data],
  );

  const problems = submitted ? formProblems(values) : {};
  const refusal = mutation.error instanceof ApiError && mutation.error.status === 422 ? mutation.error : null;
  const refused = refusal === null ? new Set<string>() : refusedFields(refusal.detail);

  function change(patch: Partial<ScenarioFormValues>) {
    setValues((current) => ({ ...current, ...patch }));
    setIdempotencyKey(newIdempotencyKey());
    if (mutation.isError) mutation.reset();
  }

  function run() {
    const body = toScenarioRequest(values);
    if (body === null || inFlight.current) return;
    inFlight.current = true;
    mutation.mutate(
      { body, idempotencyKey },
      {
        onSuccess: (scenario) => void navigate(`/wwi/scenarios/${scenario.id}`),
        onSettled: () => {
          inFlight.current = false;
        },
      },
    );
  }

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitted(true);
    run();
  }

  return (
    <Card withBorder radius="md" padding="md" component="section" aria-labelledby="new-scenario-heading">
      <Title order={2} size="h4" id="new-scenario-heading" mb={4}>
        New scenario
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Recomputes every reorder recommendation under the changes and compares it with today&apos;s. Nothing is
        ordered.
      </Text>
      <form onSubmit={submit} noValidate data-testid="scenario-form">
        <Stack gap="sm">
          <TextInput
            label="Name"
            placeholder="e.g. Holiday demand +30%"
            withAsterisk
            aria-required
            value={values.name}
            onChange={(event) => {
              change({ name: event.currentTarget.value });
            }}
            error={problems.name ?? refused.has('name')}
            data-testid="scenario-name"
          />
          <NumberInput
            label="Demand change (%)"
            description="Daily demand up or down, e.g. 20 or -10"
            value={values.demandChangePct}
            onChange={(next) => {
              change({ demandChangePct: next });
            }}
            decimalScale={2}
            suffix=" %"
            error={problems.demandChangePct ?? refused.has('demandChangePct')}
            data-testid="scenario-demand"
          />
          <NumberInput
            label="Lead-time change (days)"
            description="Whole days added to (or taken off) each item's lead time"
            value={values.leadTimeChangeDays}
            onChange={(next) => {
              change({ leadTimeChangeDays: next });
            }}
            allowDecimal={false}
            error={problems.leadTimeChangeDays ?? refused.has('leadTimeChangeDays')}
            data-testid="scenario-lead-time"
          />
          <MultiSelect
            label="Items"
            description={
              stock.isError
                ? 'The item list could not be loaded: the scenario will cover every item.'
                : 'Leave empty for every item; type to search.'
            }
            placeholder={stock.isPending ? 'Loading items…' : values.itemIds.length === 0 ? 'All items' : undefined}
            data={itemChoices}
            value={values.itemIds}
            onChange={(next) => {
              change({ itemIds: next });
            }}
            searchable
            clearable
            hidePickedOptions
            maxDropdownHeight={260}
            nothingFoundMessage="No item name contains that"
            disabled={stock.isPending || stock.isError}
            error={refused.has('itemIds')}
            comboboxProps={{ withinPortal: true }}
            clearButtonProps={{ 'aria-label': 'Clear the chosen items' }}
            data-testid="scenario-items"
          />
          {mutation.isError ? (
            <div data-testid="scenario-form-error">
              <ErrorPanel error={mutation.error} what="Running the scenario" onRetry={run} />
            </div>
          ) : null}
          <Button
            type="submit"
            leftSection={<IconFlask size={16} aria-hidden />}
            loading={mutation.isPending}
            disabled={mutation.isPending}
            data-testid="scenario-submit"
          >
            Run scenario
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
