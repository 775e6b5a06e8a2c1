import { Badge } from '@mantine/core';
import {
  IconCheck,
  IconPlayerPlay,
  IconPlayerSkipForward,
  IconPlayerStop,
  IconX,
} from '@tabler/icons-react';

import type { JobStatus } from '@/api/queries/operations';

const LOOKS: Record<JobStatus, { color: string; label: string; Icon: typeof IconCheck }> = {
  running: { color: 'blue', label: 'Running', Icon: IconPlayerPlay },
  succeeded: { color: 'teal', label: 'Succeeded', Icon: IconCheck },
  failed: { color: 'red', label: 'Failed', Icon: IconX },
  skipped: { color: 'gray', label: 'Skipped', Icon: IconPlayerSkipForward },
  // Its service stopped, or its lease expired: the run's error says which.
  interrupted: { color: 'orange', label: 'Interrupted', Icon: IconPlayerStop },
};

export const STATUS_LABELS: Record<JobStatus, string> = {
  running: LOOKS.running.label,
  succeeded: LOOKS.succeeded.label,
  failed: LOOKS.failed.label,
  skipped: LOOKS.skipped.label,
  interrupted: LOOKS.interrupted.label,
};

/** A run's status in colour, icon and word: never colour alone. */
export function StatusBadge({ status }: { status: JobStatus }) {
  const { color, label, Icon } = LOOKS[status];
  return (
    <Badge
      color={color}
      variant="light"
      leftSection={<Icon size={12} aria-hidden />}
      data-testid="job-status"
      data-status={status}
      // Keeps its word whole in a narrow table column.
      miw="max-content"
    >
      {label}
    </Badge>
  );
}
