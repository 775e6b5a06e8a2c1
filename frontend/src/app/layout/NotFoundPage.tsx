import { Button, Stack, Text, Title } from '@mantine/core';
import { Link, useLocation } from 'react-router';

export function NotFoundPage() {
  const location = useLocation();
  return (
    <Stack py="xl">
      <Title order={1} size="h2">
        No page here
      </Title>
      <Text>
        There is no view at <code>{location.pathname}</code>.
      </Text>
      <Button component={Link} to="/" variant="default" w="fit-content">
        Back to the overview
      </Button>
    </Stack>
  );
}
