// A real OpenID Connect provider (npm oidc-provider) for the tests, on 127.0.0.1 only.
//
// Configuration comes from the environment (the pytest fixture in tests/peers/oidc_provider.py
// sets it):
//   OIDC_PORT           port to listen on; 0 or unset = any free port
//   OIDC_ISSUER         issuer; unset = http://127.0.0.1:<port>
//   OIDC_JWKS           JSON {"keys": [...]} of private JWKs, each with kid and alg
//   OIDC_SIGNING_KID    kid that signs access tokens; unset = the first key
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET   the confidential client (client_credentials grant)
//   OIDC_API_AUDIENCE   resource indicator and audience (aud) of the API's JWT access tokens
//   OIDC_API_SCOPES     space-separated scopes the API accepts and the client may ask for
//
// On stdout: one JSON line {"ready": true, ...} once it listens. GET /_test/requests answers
// how often each "METHOD /path" was asked for since the start, so a test can count key fetches.
import http from 'node:http';

import Provider, { errors } from 'oidc-provider';

const env = process.env;
const jwks = JSON.parse(env.OIDC_JWKS);
const signingKey = jwks.keys.find((key) => key.kid === env.OIDC_SIGNING_KID) ?? jwks.keys[0];
const audience = env.OIDC_API_AUDIENCE;
const apiScopes = env.OIDC_API_SCOPES ?? '';

const server = http.createServer();
server.listen(Number(env.OIDC_PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = env.OIDC_ISSUER || `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    jwks,
    ttl: { ClientCredentials: 600 },
    clients: [
      {
        client_id: env.OIDC_CLIENT_ID,
        client_secret: env.OIDC_CLIENT_SECRET,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: apiScopes,
      },
    ],
    scopes: ['openid', ...apiScopes.split(' ').filter(Boolean)],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resourceIndicator) => {
          if (resourceIndicator !== audience) {
            throw new errors.InvalidTarget();
          }
          return {
            audience,
            scope: apiScopes,
            accessTokenTTL: 600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: signingKey.alg, kid: signingKey.kid } },
          };
        },
      },
    },
  });
  const requests = {};
  provider.use(async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/_test/requests') {
      ctx.body = requests;
      return;
    }
    const name = `${ctx.method} ${ctx.path}`;
    requests[name] = (requests[name] ?? 0) + 1;
    await next();
  });
  server.on('request', provider.callback());
  process.stdout.write(
    `${JSON.stringify({
      ready: true,
      issuer,
      port,
      jwks_uri: `${issuer}/jwks`,
      token_endpoint: `${issuer}/token`,
    })}\n`,
  );
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
