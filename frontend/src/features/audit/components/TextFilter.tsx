import { Autocomplete } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';

interface TextFilterProps {
  label: string;
  placeholder: string;
  /** The filter as the URL holds it. */
  value: string | null;
  /** Values seen on the page, offered as the reader types. */
  suggestions: string[];
  onCommit: (value: string | null) => void;
  className?: string;
}

/**
 * A free-text filter that is applied a moment after typing stops (or on Enter, or on
 * leaving the field), not on every key: each application is a request.
 */
export function TextFilter({ label, placeholder, value, suggestions, onCommit, className }: TextFilterProps) {
  const [text, setText] = useState(value ?? '');
  const [shown, setShown] = useState(value);
  // The URL changed ("Clear filters", Back, or this field's own commit): show what it holds.
  if (value !== shown) {
    setShown(value);
    setText(value ?? '');
  }
  const commit = (next: string) => {
    const trimmed = next.trim() === '' ? null : next.trim();
    if (trimmed !== value) onCommit(trimmed);
  };
  const debounced = useDebouncedCallback(commit, 600);
  return (
    <Autocomplete
      className={className}
      label={label}
      placeholder={placeholder}
      value={text}
      data={[...new Set(suggestions)].sort()}
      onChange={(next) => {
        setText(next);
        debounced(next);
      }}
      onOptionSubmit={(next) => {
        debounced.cancel();
        commit(next);
      }}
      onBlur={() => {
        debounced.cancel();
        commit(text);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter') {
          debounced.cancel();
          commit(text);
        }
      }}
      clearable
    />
  );
}
