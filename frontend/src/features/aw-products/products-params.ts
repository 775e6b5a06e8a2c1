/** The products page's URL state: window, category and subcategory filters, how many products. */
import { parseAsNumberLiteral, parseAsString } from 'nuqs';

export const PRODUCT_WINDOWS = [90, 365, 730] as const;
export const PRODUCT_TOPS = [25, 50, 100, 250, 500] as const;
export const DEFAULT_TOP = 50;

export type ProductWindow = (typeof PRODUCT_WINDOWS)[number];
export type ProductTop = (typeof PRODUCT_TOPS)[number];

export const WINDOW_LABELS: Record<ProductWindow, string> = {
  90: 'Last 90 days',
  365: 'Last year',
  730: 'Last 2 years',
};

export const productsParams = {
  /** Absent: all history. */
  days: parseAsNumberLiteral(PRODUCT_WINDOWS),
  category: parseAsString,
  subcategory: parseAsString,
  top: parseAsNumberLiteral(PRODUCT_TOPS).withDefault(DEFAULT_TOP),
};
