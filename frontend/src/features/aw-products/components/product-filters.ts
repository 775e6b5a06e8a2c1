/** Category and subcategory filters of the ranked products. */
import type { components } from '@/api/schema';

type ProductDemand = components['schemas']['ProductDemand'];

/** The filter value of products without a category or subcategory. */
export const UNCATEGORISED = '(none)';

const categoryOf = (p: ProductDemand) => p.category ?? UNCATEGORISED;
const subcategoryOf = (p: ProductDemand) => p.subcategory ?? UNCATEGORISED;

function sorted(names: Iterable<string>): string[] {
  return [...new Set(names)].sort((a, b) =>
    a === UNCATEGORISED ? 1 : b === UNCATEGORISED ? -1 : a.localeCompare(b),
  );
}

/** Return the categories present in `products`, sorted. */
export function categoriesOf(products: ProductDemand[]): string[] {
  return sorted(products.map(categoryOf));
}

/** Return the subcategories present in `products`, only those of `category` when one is chosen. */
export function subcategoriesOf(products: ProductDemand[], category: string | null): string[] {
  return sorted(
    products.filter((p) => category === null || categoryOf(p) === category).map(subcategoryOf),
  );
}

/** Return the products of the chosen category and subcategory (null: any), in rank order. */
export function productsIn(
  products: ProductDemand[],
  category: string | null,
  subcategory: string | null,
): ProductDemand[] {
  return products.filter(
    (p) =>
      (category === null || categoryOf(p) === category) &&
      (subcategory === null || subcategoryOf(p) === subcategory),
  );
}

/**
 * Return the subcategory to keep when the category changes to `category`: the current one if
 * that category has it, else none.
 */
export function subcategoryAfter(
  products: ProductDemand[],
  category: string | null,
  subcategory: string | null,
): string | null {
  if (subcategory === null) return null;
  return subcategoriesOf(products, category).includes(subcategory) ? subcategory : null;
}

export interface TrendCounts {
  rising: number;
  falling: number;
  steady: number;
  /** No units in the earlier 90 days: nothing to compare with. */
  new: number;
}

export function trendCounts(products: ProductDemand[]): TrendCounts {
  const counts: TrendCounts = { rising: 0, falling: 0, steady: 0, new: 0 };
  for (const p of products) {
    if (p.trend_pct === null) counts.new += 1;
    else if (p.trend_pct > 0) counts.rising += 1;
    else if (p.trend_pct < 0) counts.falling += 1;
    else counts.steady += 1;
  }
  return counts;
}
