import { Badge, Button, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconX } from '@tabler/icons-react';
import { useState } from 'react';

import type { JobExecution } from '@/api/queries/operations';
import {
  type DetailValue,
  otherDetails,
  type QualityCheckResult,
  type QualitySummary,
  qualitySummary,
} from '@/features/jobs/details';
import tableClasses from '@/components/table/table.module.css';
import classes from '@/features/jobs/components/jobs.module.css';
import { triggerExplanation } from '@/features/jobs/trigger';
import { formatCount, formatDecimal } from '@/formatting/numbers';

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? formatCount(value) : formatDecimal(value, 2);
}

function formatDetail(value: DetailValue): string {
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return Object.entries(value)
    .map(([key, item]) => `${key.replaceAll('_', ' ')} ${typeof item === 'number' ? formatNumber(item) : String(item)}`)
    .join(' · ');
}

/** "14 passed · 1 failed" with the worst outcome's colour and icon. */
export function QualityCounts({ summary }: { summary: QualitySummary }) {
  const { passed, failedErrors, warnings } = summary;
  const color = failedErrors > 0 ? 'red' : warnings > 0 ? 'orange' : 'teal';
  const Icon = failedErrors > 0 ? IconX : warnings > 0 ? IconAlertTriangle : IconCheck;
  const parts = [`${passed} passed`];
  if (failedErrors > 0) parts.push(`${failedErrors} failed`);
  if (warnings > 0) parts.push(`${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`);
  return (
    <Group gap={4} wrap="nowrap" data-testid="quality-counts">
      <Icon size={14} aria-hidden color={`var(--mantine-color-${color}-text)`} />
      <Text size="sm" c={color} fw={failedErrors > 0 || warnings > 0 ? 600 : undefined} className="figures">
        {parts.join(' · ')}
      </Text>
    </Group>
  );
}

function CheckOutcome({ check }: { check: QualityCheckResult }) {
  if (check.passed) {
    return (
      <Badge color="teal" variant="light" leftSection={<IconCheck size={12} aria-hidden />}>
        Passed
      </Badge>
    );
  }
  return check.severity === 'warning' ? (
    <Badge color="orange" variant="light" leftSection={<IconAlertTriangle size={12} aria-hidden />}>
      Warning
    </Badge>
  ) : (
    <Badge color="red" variant="light" leftSection={<IconX size={12} aria-hidden />}>
      Failed
    </Badge>
  );
}

function ChecksTable({ checks, caption }: { checks: QualityCheckResult[]; caption: string }) {
  return (
    <Table.ScrollContainer minWidth={520} type="native">
      <Table className={classes.checks}>
        <caption className={tableClasses.caption}>{caption}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Check</Table.Th>
            <Table.Th className={classes.outcomeColumn}>Outcome</Table.Th>
            <Table.Th className={`${tableClasses.numeric} ${classes.figureColumn}`}>Observed</Table.Th>
            <Table.Th className={`${tableClasses.numeric} ${classes.figureColumn}`}>Must be</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {checks.map((check) => (
            <Table.Tr key={check.name} data-testid="quality-check" data-passed={check.passed}>
              <Table.Td>
                <Text size="sm">{sentenceCase(check.description || check.name)}</Text>
                <Text size="xs" c="dimmed">
                  {check.name}
                </Text>
                {check.error ? (
                  <Text size="xs" c="red">
                    {check.error}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <CheckOutcome check={check} />
              </Table.Td>
              <Table.Td className={tableClasses.numeric}>
                {check.observed === null ? '—' : formatNumber(check.observed)}
              </Table.Td>
              <Table.Td className={tableClasses.numeric}>
                {COMPARISONS[check.comparison] ?? check.comparison} {formatNumber(check.threshold)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

const COMPARISONS: Record<string, string> = { '<=': '≤', '>=': '≥', '==': '=' };

/** The checks that did not pass, then the passed ones behind a toggle. */
function QualityChecks({ checks, runId }: { checks: QualityCheckResult[]; runId: number }) {
  const [showPassed, setShowPassed] = useState(false);
  const failed = checks.filter((check) => !check.passed);
  const passed = checks.filter((check) => check.passed);
  return (
    <Stack gap="xs" data-testid="quality-checks">
      {failed.length > 0 ? (
        <ChecksTable checks={failed} caption={`Data-quality checks of run ${runId} that did not pass`} />
      ) : (
        <Text size="sm">All {checks.length} checks passed.</Text>
      )}
      {passed.length > 0 ? (
        <>
          <Button
            variant="subtle"
            size="compact-sm"
            w="fit-content"
            onClick={() => {
              setShowPassed((value) => !value);
            }}
            aria-expanded={showPassed}
          >
            {showPassed ? 'Hide' : 'Show'} the {passed.length} passed {passed.length === 1 ? 'check' : 'checks'}
          </Button>
          {showPassed ? (
            <ChecksTable checks={passed} caption={`Data-quality checks of run ${runId} that passed`} />
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}

/** What a run did: why it ran, its error in full, its data-quality checks and its other details. */
export function RunDetails({ run }: { run: JobExecution }) {
  const quality = qualitySummary(run.details);
  const other = otherDetails(run.details);
  return (
    <Stack gap="sm" py="xs">
      <Text size="sm" data-testid="run-trigger-explanation">
        {triggerExplanation(run)}
      </Text>
      {run.error ? (
        <div>
          <Title order={3} size="h6" mb={4}>
            Error
          </Title>
          <Code block className={classes.errorText}>
            {run.error}
          </Code>
        </div>
      ) : null}
      {quality ? (
        <div>
          <Group gap="sm" mb={4}>
            <Title order={3} size="h6">
              Data-quality checks
            </Title>
            <QualityCounts summary={quality} />
          </Group>
          <QualityChecks checks={quality.checks} runId={run.id} />
        </div>
      ) : null}
      {other.length > 0 ? (
        <div>
          <Title order={3} size="h6" mb={4}>
            What it reported
          </Title>
          <dl className={classes.details}>
            {other.map(([key, value]) => (
              <div key={key} className={classes.detail}>
                <dt>{key.replaceAll('_', ' ')}</dt>
                <dd>{formatDetail(value)}</dd>
              </div>
            ))}
          </dl>
        </div>
      ) : null}
      {!run.error && !quality && other.length === 0 ? (
        <Text size="sm" c="dimmed">
          This run reported no details.
        </Text>
      ) : null}
    </Stack>
  );
}
