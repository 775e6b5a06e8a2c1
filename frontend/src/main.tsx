import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@/app/global.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { authorizationHeaders } from '@/api/client';
import { canAuthorize } from '@/auth/access-token';
import { App } from '@/app/App';
import { startTracing } from '@/telemetry/tracing';

const root = document.getElementById('root');
if (root === null) {
  throw new Error('index.html has no #root element');
}
// Before the first render, so the first API calls already carry a traceparent.
startTracing(authorizationHeaders, canAuthorize);
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
