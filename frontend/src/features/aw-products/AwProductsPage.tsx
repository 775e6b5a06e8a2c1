import { Badge, Button, Card, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useQueryStates } from 'nuqs';

import { downloadExport } from '@/api/download';
import { awQueries } from '@/api/queries/aw';
import type { components } from '@/api/schema';
import { EmptyState } from '@/components/EmptyState';
import { ExportButtons } from '@/components/ExportButtons';
import { PageHeader } from '@/components/PageHeader';
import { QueryView } from '@/components/QueryView';
import { formatCount } from '@/formatting/numbers';
import {
  categoriesOf,
  productsIn,
  subcategoriesOf,
  subcategoryAfter,
  trendCounts,
  UNCATEGORISED,
} from '@/features/aw-products/components/product-filters';
import classes from '@/features/aw-products/components/products.module.css';
import { ProductsTable } from '@/features/aw-products/components/ProductsTable';
import {
  DEFAULT_TOP,
  PRODUCT_TOPS,
  PRODUCT_WINDOWS,
  productsParams,
  type ProductTop,
  type ProductWindow,
  WINDOW_LABELS,
} from '@/features/aw-products/products-params';

type ProductDemandList = components['schemas']['ProductDemandList'];

const ALL = 'all';

/** Keep a value from a copied link selectable even when the data no longer holds it. */
function withChosen(options: string[], chosen: string | null): string[] {
  return chosen !== null && !options.includes(chosen) ? [...options, chosen] : options;
}

const optionLabel = (name: string) => (name === UNCATEGORISED ? 'Uncategorised' : name);

/** AdventureWorks products ranked by demand: what sells and what is rising. */
export function AwProductsPage() {
  const [{ days, category, subcategory, top }, setParams] = useQueryStates(productsParams);
  const query = useQuery(awQueries.productDemand(top, days));
  const products = query.data?.products ?? [];
  const categories = withChosen(categoriesOf(products), category);
  const subcategories = withChosen(subcategoriesOf(products, category), subcategory);
  const windowText = days === null ? 'all history' : WINDOW_LABELS[days].toLowerCase();
  return (
    <Stack gap="lg">
      <PageHeader
        title="AdventureWorks products"
        question="What sells, what is rising? Products ranked by a demand score of units (40%), revenue (40%) and 90-day trend (20%)."
        asOf={query.data?.as_of}
      />
      <div className={classes.controls}>
        <div className={classes.filters}>
          <NativeSelect
            label="Window"
            value={days === null ? ALL : String(days)}
            data={[
              { value: ALL, label: 'All history' },
              ...PRODUCT_WINDOWS.map((d) => ({ value: String(d), label: WINDOW_LABELS[d] })),
            ]}
            onChange={(event) => {
              const value = event.currentTarget.value;
              void setParams({ days: value === ALL ? null : (Number(value) as ProductWindow) });
            }}
            data-testid="products-window"
          />
          <NativeSelect
            label="Category"
            value={category ?? ALL}
            data={[
              { value: ALL, label: 'All categories' },
              ...categories.map((c) => ({ value: c, label: optionLabel(c) })),
            ]}
            onChange={(event) => {
              const value = event.currentTarget.value;
              const next = value === ALL ? null : value;
              void setParams({ category: next, subcategory: subcategoryAfter(products, next, subcategory) });
            }}
            data-testid="products-category"
          />
          <NativeSelect
            label="Subcategory"
            value={subcategory ?? ALL}
            data={[
              { value: ALL, label: category === null ? 'All subcategories' : `All of ${optionLabel(category)}` },
              ...subcategories.map((s) => ({ value: s, label: optionLabel(s) })),
            ]}
            onChange={(event) => {
              const value = event.currentTarget.value;
              void setParams({ subcategory: value === ALL ? null : value });
            }}
            data-testid="products-subcategory"
          />
          <NativeSelect
            label="Show"
            value={String(top)}
            data={PRODUCT_TOPS.map((n) => ({ value: String(n), label: `Top ${n} products` }))}
            onChange={(event) => {
              const value = Number(event.currentTarget.value) as ProductTop;
              void setParams({ top: value === DEFAULT_TOP ? null : value });
            }}
            data-testid="products-top"
          />
        </div>
        <ExportButtons
          what="the product demand ranking"
          download={(format) =>
            downloadExport(
              '/api/aw/export/product-demand',
              format,
              { top_n: top, ...(days === null ? {} : { days_back: days }) },
              'AdventureWorks product demand export',
            )
          }
        />
      </div>
      <QueryView
        query={query}
        what="the product demand"
        loadingHeight={360}
        empty={(data) =>
          data.products.length === 0
            ? { title: 'No products sold', hint: `No product sold in ${windowText} up to the data's date.` }
            : null
        }
      >
        {(data) => (
          <ProductsView
            data={data}
            category={category}
            subcategory={subcategory}
            top={top}
            windowText={windowText}
            onClearFilters={() => void setParams({ category: null, subcategory: null })}
          />
        )}
      </QueryView>
    </Stack>
  );
}

interface ProductsViewProps {
  data: ProductDemandList;
  category: string | null;
  subcategory: string | null;
  top: number;
  windowText: string;
  onClearFilters: () => void;
}

function ProductsView({ data, category, subcategory, top, windowText, onClearFilters }: ProductsViewProps) {
  const products = productsIn(data.products, category, subcategory);
  const filter = [category, subcategory].filter((f): f is string => f !== null).map(optionLabel).join(' › ');
  if (products.length === 0) {
    return (
      <Card withBorder radius="md">
        <EmptyState title={`No ${filter} products among the top ${top}`}>
          None of the {formatCount(data.products.length)} products with the highest demand in {windowText} is in{' '}
          {filter}. Show more products, or clear the filters.
        </EmptyState>
        <Group justify="center" pb="md">
          <Button variant="default" onClick={onClearFilters}>
            Clear the filters
          </Button>
        </Group>
      </Card>
    );
  }
  const trends = trendCounts(products);
  const scope = filter
    ? `${formatCount(products.length)} of the top ${formatCount(data.products.length)} products in ${filter}, ${windowText}`
    : `the top ${formatCount(products.length)} products, ${windowText}`;
  return (
    <section aria-labelledby="ranking-heading">
      <Group justify="space-between" align="flex-end" mb="xs" gap="xs">
        <Title order={2} size="h4" id="ranking-heading">
          Ranking
        </Title>
        <div className={classes.strip} data-testid="products-trends">
          <Badge variant="light" color="teal" data-testid="products-rising" data-count={trends.rising}>
            {formatCount(trends.rising)} rising
          </Badge>
          <Badge variant="light" color="red" data-testid="products-falling" data-count={trends.falling}>
            {formatCount(trends.falling)} falling
          </Badge>
          {trends.steady > 0 ? (
            <Badge variant="light" color="gray" data-count={trends.steady}>
              {formatCount(trends.steady)} steady
            </Badge>
          ) : null}
          {trends.new > 0 ? (
            <Badge variant="light" color="gray" data-testid="products-new" data-count={trends.new}>
              {formatCount(trends.new)} no comparison
            </Badge>
          ) : null}
        </div>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        Showing {scope}. Trend: units of the last 90 days against the 90 days before (no comparison: no units in those earlier days).
        {filter ? ' Exports hold the whole ranking, without the category filter.' : ''}
      </Text>
      <div data-testid="products-table">
        <ProductsTable products={products} caption={`Products ranked by demand score: ${scope}`} />
      </div>
    </section>
  );
}
