import { Group, Pagination, Table, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';
import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  type RowData,
  type SortingState,
  useReactTable,
} from '@tanstack/react-table';
import { parseAsInteger, parseAsString, useQueryStates } from 'nuqs';
import { useMemo } from 'react';

import classes from '@/components/table/table.module.css';

declare module '@tanstack/react-table' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Right-aligned tabular figures. */
    numeric?: boolean;
  }
}

export const PAGE_SIZE = 50;

interface DataTableProps<T> {
  data: T[];
  // TanStack Table's own pattern: columns of different value types in one array.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  /** Accessible name of the table ("Sales reps ranked by score"). */
  caption: string;
  /** Prefix of this table's URL parameters when a page has several tables. */
  urlKey?: string;
  /** Sort when the URL names none: "column" or "-column" (descending). */
  defaultSort?: string;
  getRowId?: (row: T, index: number) => string;
}

function parseSort(value: string): SortingState {
  if (value === '') return [];
  const desc = value.startsWith('-');
  return [{ id: desc ? value.slice(1) : value, desc }];
}

function formatSort(sorting: SortingState): string {
  const first = sorting[0];
  return first === undefined ? '' : `${first.desc ? '-' : ''}${first.id}`;
}

/**
 * A sortable table with a sticky header, paged past PAGE_SIZE rows; its sort and page live
 * in the URL (`sort`, `page`, prefixed with `urlKey`), so a copied link shows the same rows.
 */
export function DataTable<T>({
  data,
  columns,
  caption,
  urlKey = '',
  defaultSort = '',
  getRowId,
}: DataTableProps<T>) {
  const [params, setParams] = useQueryStates(
    {
      sort: parseAsString.withDefault(defaultSort),
      page: parseAsInteger.withDefault(1),
    },
    { urlKeys: { sort: `${urlKey}sort`, page: `${urlKey}page` } },
  );
  const sorting = useMemo(() => parseSort(params.sort), [params.sort]);
  const pageCount = Math.max(1, Math.ceil(data.length / PAGE_SIZE));
  const page = Math.min(Math.max(1, params.page), pageCount);

  // The table instance is rebuilt on every render by design; nothing memoises it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data,
    columns,
    state: { sorting, pagination: { pageIndex: page - 1, pageSize: PAGE_SIZE } },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      void setParams({ sort: formatSort(next) || null, page: null });
    },
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getPaginationRowModel: getPaginationRowModel(),
    ...(getRowId ? { getRowId } : {}),
  });

  return (
    <>
      <Table.ScrollContainer minWidth={560} type="native">
        <Table stickyHeader highlightOnHover striped className={classes.table}>
          <caption className={classes.caption}>{caption}</caption>
          <Table.Thead>
            {table.getHeaderGroups().map((group) => (
              <Table.Tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const numeric = header.column.columnDef.meta?.numeric === true;
                  const label = flexRender(header.column.columnDef.header, header.getContext());
                  return (
                    <Table.Th
                      key={header.id}
                      className={numeric ? classes.numeric : undefined}
                      aria-sort={
                        sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'
                      }
                    >
                      {header.column.getCanSort() ? (
                        <UnstyledButton
                          onClick={header.column.getToggleSortingHandler()}
                          className={classes.sortButton}
                        >
                          <Group gap={4} wrap="nowrap" justify={numeric ? 'flex-end' : 'flex-start'}>
                            <span>{label}</span>
                            {sorted === 'asc' ? (
                              <IconArrowUp size={14} aria-hidden />
                            ) : sorted === 'desc' ? (
                              <IconArrowDown size={14} aria-hidden />
                            ) : (
                              <IconArrowsSort size={14} aria-hidden className={classes.sortHint} />
                            )}
                            <VisuallyHidden>, sort</VisuallyHidden>
                          </Group>
                        </UnstyledButton>
                      ) : (
                        label
                      )}
                    </Table.Th>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Thead>
          <Table.Tbody>
            {table.getRowModel().rows.map((row) => (
              <Table.Tr key={row.id}>
                {row.getVisibleCells().map((cell) => (
                  <Table.Td
                    key={cell.id}
                    className={cell.column.columnDef.meta?.numeric ? classes.numeric : undefined}
                  >
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {pageCount > 1 ? (
        <Group justify="space-between" mt="sm">
          <Text size="sm" c="dimmed">
            {(page - 1) * PAGE_SIZE + 1}–{Math.min(page * PAGE_SIZE, data.length)} of {data.length}
          </Text>
          <Pagination
            total={pageCount}
            value={page}
            onChange={(next) => void setParams({ page: next === 1 ? null : next })}
            size="sm"
            getControlProps={(control) => ({
              'aria-label': control === 'next' ? 'Next page' : control === 'previous' ? 'Previous page' : control,
            })}
          />
        </Group>
      ) : null}
    </>
  );
}
