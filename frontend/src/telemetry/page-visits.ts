import type { QueryClient } from '@tanstack/react-query';

import { endPageSpan, startPageSpan } from '@/telemetry/page-span';

interface Navigator {
  state: { location: { pathname: string } };
  subscribe: (listener: (state: { location: { pathname: string } }) => void) => () => void;
}

/**
 * One span per page visit (named by its path, "/aw/sales") around the API calls the page
 * makes while it loads: started when the router moves to the page — before the page renders
 * and starts its queries — and ended when none of its calls is still running.
 */
export function trackPageVisits(router: Navigator, queryClient: QueryClient): () => void {
  const start = (page: string) => ({ page, span: startPageSpan(page), fetched: false, ended: false });
  let visit = start(router.state.location.pathname);
  const end = () => {
    if (visit.ended) return;
    visit.ended = true;
    const failed = queryClient
      .getQueryCache()
      .findAll({ predicate: (query) => query.state.status === 'error' }).length;
    endPageSpan(visit.span, failed);
  };
  const stopRouter = router.subscribe((state) => {
    if (state.location.pathname !== visit.page) {
      end();
      visit = start(state.location.pathname);
    }
  });
  const stopCache = queryClient.getQueryCache().subscribe(() => {
    if (queryClient.isFetching() > 0) {
      visit.fetched = true;
    } else if (visit.fetched) {
      end();
    }
  });
  return () => {
    stopRouter();
    stopCache();
    end();
  };
}
