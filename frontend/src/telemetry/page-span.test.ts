import { afterEach, describe, expect, it, vi } from 'vitest';

import { fetchInPageContext, inPageSpan } from '@/telemetry/page-span';

describe('fetchInPageContext', () => {
  const fetched: Request[] = [];

  afterEach(() => {
    fetched.length = 0;
    vi.unstubAllGlobals();
  });

  function stubFetch() {
    vi.stubGlobal('fetch', (input: Request) => {
      fetched.push(input);
      return Promise.resolve(new Response('{}'));
    });
  }

  it('asks for revalidated data only during a revalidating action', async () => {
    stubFetch();
    await fetchInPageContext(new Request('http://app/api/aw/sales/kpis'));
    await inPageSpan('page aw-sales refresh', {}, () =>
      fetchInPageContext(new Request('http://app/api/aw/sales/kpis')),
      { revalidate: true },
    );
    await inPageSpan('page aw-sales load', {}, () =>
      fetchInPageContext(new Request('http://app/api/aw/sales/kpis')),
    );
    await fetchInPageContext(new Request('http://app/api/aw/sales/kpis'));
    expect(fetched.map((request) => request.headers.get('Cache-Control'))).toEqual([
      null,
      'no-cache',
      null,
      null,
    ]);
  });
});
