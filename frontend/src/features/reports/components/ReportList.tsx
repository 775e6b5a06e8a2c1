import { Badge, Table, Text } from '@mantine/core';

import type { Report } from '@/api/queries/operations';
import { DownloadReportButtons } from '@/features/reports/components/DownloadReportButtons';
import tableClasses from '@/components/table/table.module.css';
import classes from '@/features/reports/components/reports.module.css';
import { formatBytes } from '@/features/reports/file-size';
import { formatMoment } from '@/formatting/dates';

/** Generated reports, newest first, with who asked, when, their sizes and downloads. */
export function ReportList({ reports, newId }: { reports: Report[]; newId: string | null }) {
  return (
    <Table.ScrollContainer minWidth={860} type="native">
      <Table stickyHeader highlightOnHover className={tableClasses.table} data-testid="report-list">
        <caption className={tableClasses.caption}>Generated reports, newest first</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Title</Table.Th>
            <Table.Th>Created by</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th className={tableClasses.numeric}>Window</Table.Th>
            <Table.Th className={tableClasses.numeric}>XLSX</Table.Th>
            <Table.Th className={tableClasses.numeric}>PDF</Table.Th>
            <Table.Th>Download</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {reports.map((report) => (
            <Table.Tr
              key={report.report_id}
              data-testid="report-row"
              data-report-id={report.report_id}
              className={report.report_id === newId ? classes.new : undefined}
            >
              <Table.Td>
                <Text size="sm" fw={500}>
                  {report.title}
                  {report.report_id === newId ? (
                    <Badge component="span" size="xs" color="teal" variant="light" ml={6}>
                      new
                    </Badge>
                  ) : null}
                </Text>
                <Text size="xs" c="dimmed">
                  {report.report_id}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{report.created_by}</Text>
                {report.execution_id === null ? null : (
                  <Text size="xs" c="dimmed">
                    scheduled job, run {report.execution_id}
                  </Text>
                )}
              </Table.Td>
              <Table.Td className={tableClasses.nowrap}>{formatMoment(report.created_at)}</Table.Td>
              <Table.Td className={tableClasses.numeric}>{report.days_back} days</Table.Td>
              <Table.Td className={tableClasses.numeric} data-testid="report-xlsx-size">
                {formatBytes(report.bytes.xlsx)}
              </Table.Td>
              <Table.Td className={tableClasses.numeric} data-testid="report-pdf-size">
                {formatBytes(report.bytes.pdf)}
              </Table.Td>
              <Table.Td>
                <DownloadReportButtons report={report} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
