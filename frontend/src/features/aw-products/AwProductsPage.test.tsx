import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import {
  categoriesOf,
  productsIn,
  subcategoriesOf,
  subcategoryAfter,
} from '@/features/aw-products/components/product-filters';
import { AwProductsPage } from '@/features/aw-products/AwProductsPage';
import { jsonResponse, renderWithProviders } from '@/test/render';

const product = (rank: number, name: string, category: string | null, subcategory: string | null) => ({
  product: name,
  product_alternate_key: `KEY-${String(rank)}`,
  category,
  subcategory,
  units: 1000 - rank,
  revenue: 10_000 - rank,
  orders: 100,
  trend_pct: rank % 2 === 0 ? 12.5 : null,
  demand_score: 90 - rank,
  rank,
});

const PRODUCTS = [
  product(1, 'Ridge-170 Red, 58', 'Bikes', 'Mountain Bikes'),
  product(2, 'Classic Socks-1420', 'Clothing', 'Socks'),
  product(3, 'Velo-160 Yellow, 38', 'Bikes', 'Road Bikes'),
  product(4, 'Logo Gloves-1450, M', 'Clothing', 'Gloves'),
  product(5, 'Urban Bike Rack-1470', 'Accessories', 'Bike Racks'),
  product(6, 'Logo Shorts-1380, M', 'Clothing', 'Shorts'),
];

function mockApi() {
  vi.spyOn(globalThis, 'fetch').mockImplementation((input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return Promise.resolve(
      url.pathname === '/api/aw/products/demand'
        ? jsonResponse({ as_of: '2014-01-28', days_back: null, products: PRODUCTS })
        : jsonResponse({ error: 'not_found', detail: 'not in this test' }, 404),
    );
  });
}

const optionsOf = (select: HTMLElement) => within(select).getAllByRole('option').map((o) => o.textContent);

describe('product filters', () => {
  it('narrows the subcategories to the chosen category', () => {
    expect(categoriesOf(PRODUCTS)).toEqual(['Accessories', 'Bikes', 'Clothing']);
    expect(subcategoriesOf(PRODUCTS, 'Clothing')).toEqual(['Gloves', 'Shorts', 'Socks']);
    expect(subcategoriesOf(PRODUCTS, null)).toHaveLength(6);
  });

  it('keeps the subcategory across a category change only when the new category has it', () => {
    expect(subcategoryAfter(PRODUCTS, 'Bikes', 'Socks')).toBeNull();
    expect(subcategoryAfter(PRODUCTS, 'Clothing', 'Socks')).toBe('Socks');
    expect(subcategoryAfter(PRODUCTS, null, 'Socks')).toBe('Socks');
  });

  it('filters by category and subcategory in rank order', () => {
    expect(productsIn(PRODUCTS, 'Clothing', null).map((p) => p.rank)).toEqual([2, 4, 6]);
    expect(productsIn(PRODUCTS, 'Clothing', 'Gloves').map((p) => p.rank)).toEqual([4]);
  });
});

describe('AwProductsPage', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('offers only the subcategories of the chosen category and lists only its products', async () => {
    mockApi();
    renderWithProviders(<AwProductsPage />, { searchParams: '?category=Clothing' });

    const table = await screen.findByTestId('products-table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]?.textContent)).toEqual(['2', '4', '6']);

    expect(optionsOf(screen.getByRole('combobox', { name: 'Category' }))).toEqual([
      'All categories',
      'Accessories',
      'Bikes',
      'Clothing',
    ]);
    expect(optionsOf(screen.getByRole('combobox', { name: 'Subcategory' }))).toEqual([
      'All of Clothing',
      'Gloves',
      'Shorts',
      'Socks',
    ]);
  });

  it('offers every subcategory when no category is chosen', async () => {
    mockApi();
    renderWithProviders(<AwProductsPage />);
    await screen.findByTestId('products-table');
    expect(optionsOf(screen.getByRole('combobox', { name: 'Subcategory' }))).toHaveLength(7);
  });

  it('says why the list is empty when the filters match nothing in the ranking', async () => {
    mockApi();
    renderWithProviders(<AwProductsPage />, { searchParams: '?category=Components' });
    expect(await screen.findByTestId('empty-state')).toHaveTextContent('No Components products among the top 50');
  });
});
