import { describe, expect, it } from 'vitest';

import { formatChange, formatCount, formatCurrency, formatPercent } from '@/formatting/numbers';

describe('numbers in the reader locale', () => {
  it('formats currency exactly in tables and compactly in tiles', () => {
    expect(formatCurrency(46412318.071)).toBe('$46,412,318.07');
    expect(formatCurrency(46412318.071, { compact: true })).toBe('$46.4M');
  });

  it('takes percents as the API gives them (12.5 means 12.5 %)', () => {
    expect(formatPercent(12.5)).toBe('12.5%');
    expect(formatChange(3.24)).toBe('+3.2%');
    expect(formatChange(-1)).toBe('-1.0%');
    expect(formatChange(0)).toBe('0.0%');
  });

  it('shows a dash, not zero, for a missing figure', () => {
    expect(formatCurrency(null)).toBe('—');
    expect(formatPercent(undefined)).toBe('—');
    expect(formatCount(null)).toBe('—');
  });
});
