import { SegmentedControl, Stack, Text } from '@mantine/core';
import { useId } from 'react';

interface LabelledSegmentsProps<T extends string> {
  label: string;
  value: T;
  data: { value: T; label: string }[];
  onChange: (value: T) => void;
}

/** A segmented control with a visible label that also names it for screen readers. */
export function LabelledSegments<T extends string>({ label, value, data, onChange }: LabelledSegmentsProps<T>) {
  const id = useId();
  return (
    <Stack gap={4}>
      <Text component="span" size="sm" fw={500} id={id}>
        {label}
      </Text>
      <SegmentedControl
        aria-labelledby={id}
        size="sm"
        value={value}
        data={data}
        onChange={(next) => {
          onChange(next as T);
        }}
      />
    </Stack>
  );
}
