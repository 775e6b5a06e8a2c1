import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, expect, vi, type MockInstance } from 'vitest';

// React reports what would break in a browser (invalid DOM nesting, a key missing from a
// list, an update outside act) on console.error and carries on: here it fails the test.
let consoleErrors: unknown[][] = [];
let consoleError: MockInstance<typeof console.error>;
beforeEach(() => {
  consoleErrors = [];
  consoleError = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    consoleErrors.push(args);
  });
});

afterEach(() => {
  cleanup();
  consoleError.mockRestore();
  expect(consoleErrors, 'console.error was called').toEqual([]);
});

// jsdom lacks these browser APIs that Mantine and ECharts use.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});
class ResizeObserverStub {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
window.ResizeObserver = ResizeObserverStub;
window.HTMLElement.prototype.scrollIntoView = () => {};

// jsdom has no canvas: charts render their container (with its data-points) but draw nothing.
vi.mock('@/components/chart/echarts-setup', () => ({
  echarts: {
    init: () => ({ setOption: () => {}, resize: () => {}, dispose: () => {} }),
  },
}));
