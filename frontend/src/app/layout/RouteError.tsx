import { Button, Container, Stack, Text, Title } from '@mantine/core';
import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

/** Shown when a page itself fails to load (e.g. its chunk cannot be fetched after a deploy). */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <Container size="sm" py="xl">
      <Stack>
        <Title order={1} size="h2">
          This page could not be shown
        </Title>
        <Text>{message}</Text>
        <Text c="dimmed" size="sm">
          Reloading usually helps after the product has been updated.
        </Text>
        <Button component={Link} to="/" variant="default" w="fit-content">
          Back to the overview
        </Button>
      </Stack>
    </Container>
  );
}
