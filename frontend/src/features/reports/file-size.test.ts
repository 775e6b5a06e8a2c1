import { describe, expect, it } from 'vitest';

import { formatBytes } from '@/features/reports/file-size';

describe('file sizes', () => {
  it('uses bytes, kB and MB in steps of 1000', () => {
    expect(formatBytes(980)).toBe('980 B');
    expect(formatBytes(55110)).toBe('55.1 kB');
    expect(formatBytes(1_444_597)).toBe('1.4 MB');
    expect(formatBytes(undefined)).toBe('—');
  });
});
