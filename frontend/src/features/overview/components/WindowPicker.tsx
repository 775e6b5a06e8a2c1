import { SegmentedControl } from '@mantine/core';

export const WINDOWS = [30, 90, 365] as const;
export type WindowDays = (typeof WINDOWS)[number];

/** The KPI window (last 30, 90 or 365 days up to the data's date). */
export function WindowPicker({ value, onChange }: { value: WindowDays; onChange: (days: WindowDays) => void }) {
  return (
    <SegmentedControl
      aria-label="KPI window"
      value={String(value)}
      onChange={(next) => { onChange(Number(next) as WindowDays); }}
      data={WINDOWS.map((days) => ({ value: String(days), label: `${days} days` }))}
    />
  );
}
