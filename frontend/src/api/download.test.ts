import { describe, expect, it } from 'vitest';

import { fileNameFrom } from '@/api/download';

describe('download file names', () => {
  it('takes the name the server gives', () => {
    expect(fileNameFrom('attachment; filename="aw-sales-history-2014-01-28.xlsx"', 'x')).toBe(
      'aw-sales-history-2014-01-28.xlsx',
    );
    expect(fileNameFrom("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf", 'x')).toBe('résumé.pdf');
  });

  it('falls back when the server gives none', () => {
    expect(fileNameFrom(null, 'fallback.csv')).toBe('fallback.csv');
  });
});
