import { Badge, Tooltip } from '@mantine/core';
import { IconClock, IconDatabaseEdit, IconHandClick } from '@tabler/icons-react';

import type { JobExecution, JobTrigger } from '@/api/queries/operations';
import { TRIGGER_LABELS, triggerExplanation } from '@/features/jobs/trigger';

// Outlined, so that it does not read as the run's status next to it; the usual reason,
// the schedule, in the quietest look.
const LOOKS: Record<JobTrigger, { color: string; variant: 'default' | 'outline'; Icon: typeof IconClock }> = {
  schedule: { color: 'gray', variant: 'default', Icon: IconClock },
  'run-now': { color: 'indigo', variant: 'outline', Icon: IconHandClick },
  'data-change': { color: 'grape', variant: 'outline', Icon: IconDatabaseEdit },
};

/** Why a run ran, as a word and an icon, with the whole reason on hover. */
export function TriggerBadge({ run }: { run: Pick<JobExecution, 'trigger' | 'supersedes_execution_id'> }) {
  const { color, variant, Icon } = LOOKS[run.trigger];
  return (
    <Tooltip label={triggerExplanation(run)} multiline w={280} withArrow>
      <Badge
        color={color}
        variant={variant}
        leftSection={<Icon size={12} aria-hidden />}
        data-testid="job-trigger"
        data-trigger={run.trigger}
        miw="max-content"
      >
        {TRIGGER_LABELS[run.trigger]}
      </Badge>
    </Tooltip>
  );
}
