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
//   OIDC_ACCESS_TOKEN_TTL  seconds an access token of the code flow lives (default 600)
//
// A browser sign-in (authorization code + PKCE), only when OIDC_SPA_CLIENT_ID is set:
//   OIDC_SPA_CLIENT_ID  a public client (no secret, PKCE required) with the authorization_code
//                       and refresh_token grants; refresh tokens are issued to it, so the SPA
//                       renews without an iframe
//   OIDC_SPA_REDIRECT_URIS, OIDC_SPA_POST_LOGOUT_REDIRECT_URIS   space-separated, exact
//   OIDC_ACCOUNT_SCOPES JSON {"<login>": "<API scopes>"}: the API scopes a login may have;
//                       a login not listed may have every one of OIDC_API_SCOPES
// With it the provider's own sign-in form is on (devInteractions, /interaction/<uid>:
// input[name=login], input[name=password], button[type=submit]); any login and password
// pass, the login becomes the subject (name: the login capitalised, email: login@example.test),
// and no consent page is shown: each sign-in's grant holds exactly the OIDC scopes and API
// scopes the SPA asked for (the API's scopes go in the `scope` parameter) that the login may
// have. Sign-out (end_session with post_logout_redirect_uri) shows a confirmation form:
// click button[name=logout][value=yes].
//
// On stdout: one JSON line {"ready": true, ...} once it listens. GET /_test/requests answers
// how often each "METHOD /path" was asked for since the start, so a test can count key fetches.
// Why a request got a bare 500 goes to stderr.
import http from 'node:http';

import Provider, { errors } from 'oidc-provider';

const env = process.env;
const jwks = JSON.parse(env.OIDC_JWKS);
const signingKey = jwks.keys.find((key) => key.kid === env.OIDC_SIGNING_KID) ?? jwks.keys[0];
const audience = env.OIDC_API_AUDIENCE;
const apiScopes = env.OIDC_API_SCOPES ?? '';
const accessTokenTTL = Number(env.OIDC_ACCESS_TOKEN_TTL || 600);
const spaClientId = env.OIDC_SPA_CLIENT_ID ?? '';
const accountScopes = JSON.parse(env.OIDC_ACCOUNT_SCOPES || '{}');
// The API's scopes stay out of this list: listed here they would count as OIDC scopes, and
// the consent page would come back for them.
const oidcScopes = ['openid', 'profile', 'email', 'offline_access'];

const webFontImport = /@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);?/g;

const words = (value) => (value ?? '').split(' ').filter(Boolean);

const htmlSafe = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function spaClients() {
  if (!spaClientId) {
    return [];
  }
  return [
    {
      client_id: spaClientId,
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: words(env.OIDC_SPA_REDIRECT_URIS),
      post_logout_redirect_uris: words(env.OIDC_SPA_POST_LOGOUT_REDIRECT_URIS),
    },
  ];
}

// Every sign-in of the SPA gets a fresh grant of exactly what it asked for and the login may
// have: no consent page, and a sign-in without an API scope gives a token without it.
async function loadExistingGrant(ctx) {
  const { client, session, params, provider } = ctx.oidc;
  if (client.clientId !== spaClientId) {
    const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
    return grantId ? provider.Grant.find(grantId) : undefined;
  }
  const requested = new Set(words(params.scope));
  const grant = new provider.Grant({ accountId: session.accountId, clientId: client.clientId });
  grant.addOIDCScope(oidcScopes.filter((scope) => requested.has(scope)).join(' '));
  const allowed = new Set(words(accountScopes[session.accountId] ?? apiScopes));
  const asked = words(apiScopes).filter((scope) => requested.has(scope));
  const granted = asked.filter((scope) => allowed.has(scope));
  const refused = asked.filter((scope) => !allowed.has(scope));
  if (granted.length) {
    grant.addResourceScope(audience, granted.join(' '));
  }
  // Refused, not missing: a scope neither granted nor refused would bring the consent page.
  if (refused.length) {
    grant.rejectResourceScope(audience, refused.join(' '));
  }
  await grant.save();
  return grant;
}

// The login is the account: the audit log shows it as the actor, the header its name.
async function findAccount(_ctx, sub) {
  return {
    accountId: sub,
    claims: async () => ({
      sub,
      name: sub.charAt(0).toUpperCase() + sub.slice(1),
      email: `${sub}@example.test`,
      email_verified: true,
    }),
  };
}

// Plain pages, nothing loaded from elsewhere (the default ones import a web font).
function page(title, body) {
  return [
    '<!DOCTYPE html><html lang="en">',
    `<head><meta charset="utf-8"><title>${title}</title></head>`,
    `<body><h1>${title}</h1>${body}</body></html>`,
  ].join('\n');
}

async function logoutSource(ctx, form) {
  ctx.body = page(
    'Sign out',
    `<p>Sign out of ${htmlSafe(ctx.host)}?</p>${form}
<button autofocus type="submit" form="op.logoutForm" name="logout" value="yes">
Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`,
  );
}

async function postLogoutSuccessSource(ctx) {
  ctx.body = page('Signed out', '<p>You are signed out.</p>');
}

const server = http.createServer();
server.listen(Number(env.OIDC_PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = env.OIDC_ISSUER || `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    jwks,
    ttl: {
      ClientCredentials: 600,
      AccessToken: accessTokenTTL,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 24 * 3600,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: 24 * 3600,
    },
    clients: [
      {
        client_id: env.OIDC_CLIENT_ID,
        client_secret: env.OIDC_CLIENT_SECRET,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        // No `scope` of its own: a client's scope may only list the top-level (OIDC) scopes.
        // The resource server below keeps its tokens to the API's scopes.
      },
      ...spaClients(),
    ],
    scopes: oidcScopes,
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
    // The SPA reads the user's name from the ID token (it does not call userinfo).
    conformIdTokenClaims: false,
    findAccount,
    loadExistingGrant,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: Boolean(spaClientId) },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
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
            accessTokenTTL,
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
    // The sign-in form's default page imports a web font this machine cannot reach; a
    // browser would report it as a console error.
    if (typeof ctx.body === 'string' && ctx.response.is('html')) {
      ctx.body = ctx.body.replace(webFontImport, '');
    }
  });
  provider.on('server_error', (_ctx, error) => {
    process.stderr.write(`server_error: ${error.stack ?? error}\n`);
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
