import { Badge, Button, Card, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useQueryStates } from 'nuqs';

import { downloadExport } from '@/api/download';
import { awQueries } from '@/api/queries/aw';
import type { components } from '@/api/schema';
import { EmptyState } from '@/components/EmptyState';
import { ExportButtons } from '@/components/ExportButtons';
import { PageHeader } from '@/components/PageHeader';
import { QueryView } from '@/components/QueryView';
import { formatCount } from '@/formatting/numbers';
import {
  NO_TERRITORY,
  repsIn,
  STATUS_LOOK,
  statusCounts,
  territoriesOf,
  type QuotaStatus,
} from '@/features/aw-reps/components/rep-filters';
import classes from '@/features/aw-reps/components/reps.module.css';
import { RepScoreChart } from '@/features/aw-reps/components/RepScoreChart';
import { RepsTable } from '@/features/aw-reps/components/RepsTable';
import {
  DEFAULT_TOP,
  REP_TOPS,
  REP_WINDOWS,
  repsParams,
  type RepTop,
  type RepWindow,
  WINDOW_LABELS,
} from '@/features/aw-reps/reps-params';

type RepScores = components['schemas']['RepScores'];

const ALL = 'all';

/** AdventureWorks sales reps ranked by score: who is on track against quota. */
export function AwRepsPage() {
  const [{ days, territory, top }, setParams] = useQueryStates(repsParams);
  const query = useQuery(awQueries.repScores(top, days));
  const territories = query.data ? territoriesOf(query.data.reps) : [];
  // A territory from a copied link stays selectable even when no rep of it is in the list.
  const territoryOptions = territory !== null && !territories.includes(territory) ? [...territories, territory] : territories;
  const windowText = days === null ? 'all history' : WINDOW_LABELS[days].toLowerCase();
  return (
    <Stack gap="lg">
      <PageHeader
        title="AdventureWorks sales reps"
        question="Who is on track? Reps ranked by a score of revenue (40%), quota attainment (40%) and 12-month growth (20%)."
        asOf={query.data?.as_of}
      />
      <div className={classes.controls}>
        <div className={classes.filters}>
          <NativeSelect
            label="Window"
            value={days === null ? ALL : String(days)}
            data={[
              { value: ALL, label: 'All history' },
              ...REP_WINDOWS.map((d) => ({ value: String(d), label: WINDOW_LABELS[d] })),
            ]}
            onChange={(event) => {
              const value = event.currentTarget.value;
              void setParams({ days: value === ALL ? null : (Number(value) as RepWindow) });
            }}
            data-testid="reps-window"
          />
          <NativeSelect
            label="Territory"
            value={territory ?? ALL}
            data={[
              { value: ALL, label: 'All territories' },
              ...territoryOptions.map((t) => ({ value: t, label: t === NO_TERRITORY ? 'No territory' : t })),
            ]}
            onChange={(event) => {
              const value = event.currentTarget.value;
              void setParams({ territory: value === ALL ? null : value });
            }}
            data-testid="reps-territory"
          />
          <NativeSelect
            label="Show"
            value={String(top)}
            data={REP_TOPS.map((n) => ({ value: String(n), label: `Top ${n} reps` }))}
            onChange={(event) => {
              const value = Number(event.currentTarget.value) as RepTop;
              void setParams({ top: value === DEFAULT_TOP ? null : value });
            }}
            data-testid="reps-top"
          />
        </div>
        <ExportButtons
          what="the rep scorecard"
          download={(format) =>
            downloadExport(
              '/api/aw/export/rep-scores',
              format,
              { top_n: top, ...(days === null ? {} : { days_back: days }) },
              'AdventureWorks rep scorecard export',
            )
          }
        />
      </div>
      <QueryView
        query={query}
        what="the sales-rep scores"
        loadingHeight={360}
        empty={(data) =>
          data.reps.length === 0
            ? { title: 'No reps with sales', hint: `No sales rep sold anything in ${windowText} up to the data's date.` }
            : null
        }
      >
        {(data) => (
          <RepsView
            data={data}
            territory={territory}
            top={top}
            windowText={windowText}
            onClearTerritory={() => void setParams({ territory: null })}
          />
        )}
      </QueryView>
    </Stack>
  );
}

/** On track, close and behind always; "no quota" only when some rep has none. */
function shownStatuses(counts: Record<QuotaStatus, number>): QuotaStatus[] {
  const statuses: QuotaStatus[] = ['on-track', 'close', 'behind'];
  return counts['no-quota'] > 0 ? [...statuses, 'no-quota'] : statuses;
}

interface RepsViewProps {
  data: RepScores;
  territory: string | null;
  top: number;
  windowText: string;
  onClearTerritory: () => void;
}

function RepsView({ data, territory, top, windowText, onClearTerritory }: RepsViewProps) {
  const reps = repsIn(data.reps, territory);
  const where = territory === null ? '' : territory === NO_TERRITORY ? ' without a territory' : ` in ${territory}`;
  if (reps.length === 0) {
    return (
      <Card withBorder radius="md">
        <EmptyState title={`No rep${where} among the top ${top}`}>
          None of the {formatCount(data.reps.length)} best-scoring reps of {windowText} sells mainly{where}.
          Show more reps, or all territories.
        </EmptyState>
        <Group justify="center" pb="md">
          <Button variant="default" onClick={onClearTerritory}>
            Show all territories
          </Button>
        </Group>
      </Card>
    );
  }
  const counts = statusCounts(reps);
  const scope = `${formatCount(reps.length)} rep${reps.length === 1 ? '' : 's'}${where}, ${windowText}`;
  return (
    <>
      <section aria-labelledby="status-heading">
        <Title order={2} size="h4" id="status-heading" mb="xs">
          Quota attainment
        </Title>
        <div className={classes.statusStrip} data-testid="reps-status">
          {shownStatuses(counts).map((status) => (
            <Badge
              key={status}
              size="lg"
              variant="light"
              color={STATUS_LOOK[status].color}
              data-testid={`reps-${status}`}
              data-count={counts[status]}
            >
              {formatCount(counts[status])} {STATUS_LOOK[status].label}
            </Badge>
          ))}
        </div>
        <Text size="xs" c="dimmed" mt={4}>
          Of {scope}. On track: at least 100% of quota; close: 80–100%; behind: under 80%
          (revenue against the quotas of the periods in the window).
        </Text>
      </section>
      <section aria-labelledby="ranking-heading">
        <Title order={2} size="h4" id="ranking-heading" mb="xs">
          Ranking
        </Title>
        {territory !== null ? (
          <Text size="xs" c="dimmed" mb="xs">
            Exports hold the reps of every territory: the export has no territory filter.
          </Text>
        ) : null}
        <div data-testid="reps-table">
          <RepsTable reps={reps} caption={`Sales reps ranked by score: ${scope}`} />
        </div>
      </section>
      <section aria-labelledby="chart-heading">
        <Card withBorder radius="md" padding="sm">
          <Title order={2} size="h5" id="chart-heading">
            Score per rep · {scope}
          </Title>
          <RepScoreChart reps={reps} />
        </Card>
      </section>
    </>
  );
}
