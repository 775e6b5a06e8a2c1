import { Button, Collapse } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconTable } from '@tabler/icons-react';
import { parseAsBoolean, useQueryState } from 'nuqs';
import { type ReactNode, useId } from 'react';

interface TableToggleProps {
  /** URL parameter that keeps the table open in a copied link. */
  urlKey: string;
  /** What the table holds, for the button ("the 365 days"). */
  what: string;
  testId: string;
  defaultOpen?: boolean;
  children: ReactNode;
}

/** The figures behind a chart, one click away so that the page stays short. */
export function TableToggle({ urlKey, what, testId, defaultOpen = false, children }: TableToggleProps) {
  const [open, setOpen] = useQueryState(urlKey, parseAsBoolean.withDefault(defaultOpen));
  const id = useId();
  return (
    <div>
      <Button
        variant="subtle"
        size="compact-sm"
        leftSection={<IconTable size={16} aria-hidden />}
        rightSection={open ? <IconChevronUp size={14} aria-hidden /> : <IconChevronDown size={14} aria-hidden />}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => void setOpen(!open === defaultOpen ? null : !open)}
        data-testid={`${testId}-toggle`}
      >
        {open ? `Hide the table of ${what}` : `Show ${what} as a table`}
      </Button>
      <Collapse in={open} id={id} transitionDuration={0}>
        {open ? (
          <div data-testid={testId} style={{ marginTop: 8 }}>
            {children}
          </div>
        ) : null}
      </Collapse>
    </div>
  );
}
