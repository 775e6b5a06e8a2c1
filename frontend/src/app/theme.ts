import { createTheme } from '@mantine/core';

/**
 * Mantine's default palette and sizes: its CSS variables ship in its stylesheet, so no
 * <style> element is injected at run time (the CSP allows stylesheets from 'self' only).
 */
export const theme = createTheme({
  defaultRadius: 'sm',
  cursorType: 'pointer',
});
