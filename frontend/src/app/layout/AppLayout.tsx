import {
  ActionIcon,
  Burger,
  Drawer,
  Group,
  NavLink,
  Stack,
  Text,
  Tooltip,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChartBar, IconMoon, IconSun } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, NavLink as RouterNavLink, useLocation } from 'react-router';

import classes from '@/app/layout/AppLayout.module.css';
import { NAVIGATION } from '@/app/layout/navigation';
import { AuthBanner } from '@/auth/AuthBanner';
import { UserMenu } from '@/auth/UserMenu';

function ThemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light');
  const next = computed === 'dark' ? 'light' : 'dark';
  return (
    <Tooltip label={`Switch to the ${next} theme`}>
      <ActionIcon
        variant="default"
        size="lg"
        onClick={() => {
          setColorScheme(next);
        }}
        aria-label={`Switch to the ${next} theme`}
        data-testid="theme-toggle"
      >
        {computed === 'dark' ? <IconSun size={18} aria-hidden /> : <IconMoon size={18} aria-hidden />}
      </ActionIcon>
    </Tooltip>
  );
}

function Navigation({ onNavigate }: { onNavigate?: () => void }) {
  const location = useLocation();
  return (
    <Stack gap="md">
      {NAVIGATION.map(({ section, items }) => (
        <Stack key={section ?? 'home'} gap={2}>
          {section ? (
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm">
              {section}
            </Text>
          ) : null}
          {items.map(({ to, label, icon: Icon }) => (
            <NavLink
              key={to}
              component={RouterNavLink}
              to={to}
              label={label}
              leftSection={<Icon size={18} aria-hidden />}
              active={to === '/' ? location.pathname === '/' : location.pathname.startsWith(to)}
              onClick={onNavigate}
            />
          ))}
        </Stack>
      ))}
    </Stack>
  );
}

/**
 * Header, side navigation (a drawer on narrow screens) and the page. Laid out by our own
 * stylesheet: Mantine's AppShell injects a <style> element, which the CSP refuses.
 */
export function AppLayout({ children }: { children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  return (
    <div className={classes.shell}>
      <a href="#content" className={classes.skipLink}>
        Skip to content
      </a>
      <header className={classes.header}>
        <Group gap="sm" wrap="nowrap">
          <Burger
            opened={opened}
            onClick={toggle}
            className={classes.burger}
            size="sm"
            aria-label={opened ? 'Close navigation' : 'Open navigation'}
          />
          <Link to="/" className={classes.brand} aria-label="OTel BI, overview">
            <IconChartBar size={22} aria-hidden />
            <Text fw={700} size="lg" component="span">
              OTel BI
            </Text>
          </Link>
        </Group>
        <Group gap="xs" wrap="nowrap">
          <UserMenu />
          <ThemeToggle />
        </Group>
      </header>
      <nav className={classes.sidebar} aria-label="Main navigation">
        <Navigation />
      </nav>
      <Drawer opened={opened} onClose={close} size={260} title="OTel BI">
        <nav aria-label="Main navigation (menu)">
          <Navigation onNavigate={close} />
        </nav>
      </Drawer>
      <main className={classes.main} id="content" tabIndex={-1}>
        <Stack gap="md" className={classes.page}>
          <AuthBanner />
          {children}
        </Stack>
      </main>
    </div>
  );
}
