// A real OpenID Provider (npm `oidc-provider`) for Stegvis' e-legitimation tests.
//
// Started by tests/eid/conftest.py as `node server.mjs` with its settings in the environment:
//   IDP_PORT, IDP_CLIENT_ID, IDP_CLIENT_SECRET, IDP_REDIRECT_URI, IDP_ACCOUNTS (JSON object
//   accountId -> extra claims).
// The sign-in page is a plain form (account id and assurance level), answered by the tests.
// `POST /__test__/mode` (JSON) makes the next token responses carry an ID token for another
// audience (`{"aud": "..."}`) or one that has expired (`{"expired": true}`), signed with the
// provider's own key, as a misconfigured or hostile broker would; `{}` restores normal tokens.

import http from 'node:http';
import { generateKeyPair, exportJWK, decodeJwt, SignJWT } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.IDP_PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.IDP_ACCOUNTS || '{}');
const PNR_CLAIM = 'https://id.oidc.se/claim/personalIdentityNumber';
const HSA_CLAIM = 'https://id.oidc.se/claim/hsaid';

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

let mode = {};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.IDP_CLIENT_ID,
      client_secret: process.env.IDP_CLIENT_SECRET,
      redirect_uris: [process.env.IDP_REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  jwks: { keys: [jwk] },
  acrValues: [
    'http://id.elegnamnden.se/loa/1.0/loa2',
    'http://id.elegnamnden.se/loa/1.0/loa3',
  ],
  claims: {
    openid: ['sub'],
    profile: ['name', PNR_CLAIM, HSA_CLAIM],
  },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => false },
  ttl: { IdToken: 300, AccessToken: 300, AuthorizationCode: 60, Session: 600, Interaction: 600, Grant: 600 },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    if (!(id in accounts)) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
  },
  // A first-party test client: no consent page.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile');
    grant.addOIDCClaims(['acr', 'auth_time', 'sid']);
    await grant.save();
    return grant;
  },
});

async function resign(idToken) {
  const payload = decodeJwt(idToken);
  if (mode.aud) payload.aud = mode.aud;
  if (mode.expired) {
    const now = Math.floor(Date.now() / 1000);
    payload.iat = now - 3600;
    payload.exp = now - 1800;
  }
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).sign(privateKey);
}

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && (mode.aud || mode.expired)) {
    const body = typeof ctx.body === 'string' ? JSON.parse(ctx.body) : { ...ctx.body };
    if (body.id_token) {
      body.id_token = await resign(body.id_token);
      ctx.body = body;
    }
  }
});

function readBody(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(data));
  });
}

const escape = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    if (url.pathname === '/__test__/mode' && req.method === 'POST') {
      mode = JSON.parse((await readBody(req)) || '{}');
      res.writeHead(204).end();
      return;
    }
    const match = url.pathname.match(/^\/interaction\/([\w-]+)$/);
    if (match && req.method === 'GET') {
      const details = await provider.interactionDetails(req, res);
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>Test-IdP</title>
<form method="post" action="/interaction/${escape(details.uid)}">
<label>Konto <input name="account"></label>
<label>Tillitsnivå <input name="acr" value="http://id.elegnamnden.se/loa/1.0/loa3"></label>
<button>Logga in</button></form>`);
      return;
    }
    if (match && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const account = form.get('account');
      if (!(account in accounts)) {
        res.writeHead(400, { 'Content-Type': 'text/plain' }).end('unknown test account');
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: account, acr: form.get('acr') || undefined } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    callback(req, res);
  } catch (err) {
    res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(err));
  }
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
