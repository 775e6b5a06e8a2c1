import { Skeleton, Stack } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import { EmptyState } from '@/components/EmptyState';
import { ErrorPanel } from '@/components/ErrorPanel';

interface QueryViewProps<T> {
  query: UseQueryResult<T>;
  /** Names the view in an error that is not an API error. */
  what: string;
  /** Return the empty state's title when `data` holds nothing to show, else null. */
  empty?: (data: T) => { title: string; hint?: ReactNode } | null;
  /** Height of the loading placeholder. */
  loadingHeight?: number;
  children: (data: T) => ReactNode;
}

/** One view's loading, error, empty and loaded states, kept local to that view. */
export function QueryView<T>({ query, what, empty, loadingHeight = 160, children }: QueryViewProps<T>) {
  if (query.isPending) {
    return (
      <Stack gap="xs" aria-busy="true" aria-label={`Loading ${what}`}>
        <Skeleton height={loadingHeight} radius="sm" />
      </Stack>
    );
  }
  if (query.isError) {
    return <ErrorPanel error={query.error} what={what} onRetry={() => void query.refetch()} />;
  }
  const nothing = empty?.(query.data) ?? null;
  if (nothing !== null) {
    return <EmptyState title={nothing.title}>{nothing.hint}</EmptyState>;
  }
  return <>{children(query.data)}</>;
}
