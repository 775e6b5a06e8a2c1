/** The stock page's URL state: the urgency filter and the item-name search. */
import { debounce, parseAsInteger, parseAsString, parseAsStringLiteral } from 'nuqs';

import { URGENCIES } from '@/features/wwi-stock/components/stock-view';

export const stockParams = {
  urgency: parseAsStringLiteral(URGENCIES),
  // The list filters as one types; the URL follows once typing pauses.
  q: parseAsString.withDefault('').withOptions({ limitUrlUpdates: debounce(300) }),
  // The table's page (DataTable's own key): a new filter starts at page 1.
  page: parseAsInteger,
};
