import { useIsFetching, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { Span } from '@opentelemetry/api';

import { endPageSpan, startPageSpan } from '@/telemetry/page-span';

/**
 * One span around a page's loading: from the page's first render until none of its API
 * calls is still running (the calls it started are its children).
 */
export function usePageSpan(page: string): void {
  const span = useRef<Span | null>(null);
  const fetching = useIsFetching();
  const queryClient = useQueryClient();
  const started = useRef(false);

  useEffect(() => {
    span.current = startPageSpan(page);
    started.current = false;
    return () => {
      if (span.current !== null) {
        endPageSpan(span.current, 0);
        span.current = null;
      }
    };
  }, [page]);

  useEffect(() => {
    if (fetching > 0) {
      started.current = true;
      return;
    }
    if (started.current && span.current !== null) {
      const failed = queryClient.getQueryCache().findAll({ predicate: (q) => q.state.status === 'error' }).length;
      endPageSpan(span.current, failed);
      span.current = null;
    }
  }, [fetching, queryClient]);
}
