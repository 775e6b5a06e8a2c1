import { NuqsAdapter } from 'nuqs/adapters/react-router/v7';
import { createBrowserRouter, Outlet } from 'react-router';

import { AppLayout } from '@/app/layout/AppLayout';
import { RouteError } from '@/app/layout/RouteError';

/** Each page is its own chunk, loaded when it is first visited. */
export function createAppRouter() {
  return createBrowserRouter([
    {
      element: (
        <NuqsAdapter>
          <AppLayout>
            <Outlet />
          </AppLayout>
        </NuqsAdapter>
      ),
      errorElement: <RouteError />,
      children: [
        {
          index: true,
          lazy: async () => ({
            Component: (await import('@/features/overview/OverviewPage')).OverviewPage,
          }),
        },
        {
          path: 'aw/sales',
          lazy: async () => ({
            Component: (await import('@/features/aw-sales/AwSalesPage')).AwSalesPage,
          }),
        },
        {
          path: 'aw/reps',
          lazy: async () => ({
            Component: (await import('@/features/aw-reps/AwRepsPage')).AwRepsPage,
          }),
        },
        {
          path: 'aw/products',
          lazy: async () => ({
            Component: (await import('@/features/aw-products/AwProductsPage')).AwProductsPage,
          }),
        },
        {
          path: 'wwi/stock',
          lazy: async () => ({
            Component: (await import('@/features/wwi-stock/WwiStockPage')).WwiStockPage,
          }),
        },
        {
          path: 'wwi/suppliers',
          lazy: async () => ({
            Component: (await import('@/features/wwi-suppliers/WwiSuppliersPage')).WwiSuppliersPage,
          }),
        },
        {
          path: 'wwi/events',
          lazy: async () => ({
            Component: (await import('@/features/wwi-events/WwiEventsPage')).WwiEventsPage,
          }),
        },
        {
          path: 'wwi/scenarios',
          lazy: async () => ({
            Component: (await import('@/features/scenarios/ScenariosPage')).ScenariosPage,
          }),
        },
        {
          path: 'wwi/scenarios/:scenarioId',
          lazy: async () => ({
            Component: (await import('@/features/scenarios/ScenarioDetailPage')).ScenarioDetailPage,
          }),
        },
        {
          path: 'jobs',
          lazy: async () => ({ Component: (await import('@/features/jobs/JobsPage')).JobsPage }),
        },
        {
          path: 'audit',
          lazy: async () => ({ Component: (await import('@/features/audit/AuditPage')).AuditPage }),
        },
        {
          path: 'reports',
          lazy: async () => ({
            Component: (await import('@/features/reports/ReportsPage')).ReportsPage,
          }),
        },
        {
          path: '*',
          lazy: async () => ({
            Component: (await import('@/app/layout/NotFoundPage')).NotFoundPage,
          }),
        },
      ],
    },
  ]);
}
