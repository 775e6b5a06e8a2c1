import { Button } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { inPageSpan } from '@/telemetry/page-span';

interface RefreshButtonProps {
  /** The page, named in the refresh's span ("aw-sales"). */
  page: string;
  /** The queries the page shows: every active one under this key is fetched again. */
  queryKey: QueryKey;
}

/**
 * Fetches a page's views again, in one span: the click's trace holds every call it made. The
 * calls say `Cache-Control: no-cache`, so the answers are checked against the warehouse's
 * data as it is now (the services re-read its data version; unchanged data still comes from
 * their cache).
 */
export function RefreshButton({ page, queryKey }: RefreshButtonProps) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="default"
      leftSection={<IconRefresh size={16} aria-hidden />}
      loading={busy}
      onClick={() => {
        setBusy(true);
        void inPageSpan(
          `page ${page} refresh`,
          { 'otelbi.page': page },
          () => queryClient.refetchQueries({ queryKey, type: 'active' }),
          { revalidate: true },
        ).finally(() => {
          setBusy(false);
        });
      }}
      data-testid="refresh"
    >
      Refresh
    </Button>
  );
}
