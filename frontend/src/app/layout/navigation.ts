import {
  IconAlertTriangle,
  IconBuildingWarehouse,
  IconChartLine,
  IconFileSpreadsheet,
  IconFlask,
  IconHome,
  IconPackage,
  IconShieldCheck,
  IconTruckDelivery,
  IconUsers,
  IconClockPlay,
} from '@tabler/icons-react';
import type { ComponentType } from 'react';

export interface NavItem {
  to: string;
  label: string;
  icon: ComponentType<{ size?: number; 'aria-hidden'?: boolean }>;
}

export const NAVIGATION: { section: string | null; items: NavItem[] }[] = [
  { section: null, items: [{ to: '/', label: 'Overview', icon: IconHome }] },
  {
    section: 'AdventureWorks',
    items: [
      { to: '/aw/sales', label: 'Sales', icon: IconChartLine },
      { to: '/aw/reps', label: 'Sales reps', icon: IconUsers },
      { to: '/aw/products', label: 'Products', icon: IconPackage },
    ],
  },
  {
    section: 'WideWorldImporters',
    items: [
      { to: '/wwi/stock', label: 'Stock', icon: IconBuildingWarehouse },
      { to: '/wwi/suppliers', label: 'Suppliers', icon: IconTruckDelivery },
      { to: '/wwi/events', label: 'Stock events', icon: IconAlertTriangle },
      { to: '/wwi/scenarios', label: 'What-if', icon: IconFlask },
    ],
  },
  {
    section: 'Operations',
    items: [
      { to: '/jobs', label: 'Jobs', icon: IconClockPlay },
      { to: '/audit', label: 'Audit log', icon: IconShieldCheck },
      { to: '/reports', label: 'Reports', icon: IconFileSpreadsheet },
    ],
  },
];

