// A real OpenID provider (the certified `oidc-provider` package) for the sign-in tests.
//
// node tests/oidc/provider.mjs PORT ACCOUNTS_JSON CLIENT_ID CLIENT_SECRET REDIRECT_URI LOGOUT_URI
//
// The accounts file is read at every sign-in, so a test changes a person's groups by rewriting
// it. POST /test/id-token?mode=forge|expire|nonce|none makes the token endpoint hand out an ID
// token signed by another key, expired, or with another nonce, until set back to none.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const [port, accountsFile, clientId, clientSecret, redirectUri, logoutUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

function signingKey(kid) {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, jwk: { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

const real = signingKey('test-key');
// The forger's key carries the real key's id: only the signature tells them apart.
const forger = signingKey('test-key');
let mode = 'none';

function accounts() {
  return JSON.parse(fs.readFileSync(accountsFile, 'utf8'));
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [logoutUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  jwks: { keys: [real.jwk] },
  cookies: { keys: ['oidc-test-cookie-key'] },
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  // The claims go into the ID token, as Entra ID and ADFS put them there.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx, id) {
    const person = accounts()[id];
    if (!person) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: person.email, email_verified: true, name: person.name, groups: person.groups };
      },
    };
  },
  // First-party client: every sign-in is granted what it asks, without a consent page.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile groups');
    await grant.save();
    return grant;
  },
});

function base64url(value) {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

function resign(idToken) {
  const [header, payload] = idToken.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url')));
  let key = real.privateKey;
  if (mode === 'forge') key = forger.privateKey;
  if (mode === 'expire') {
    payload.iat -= 7200;
    payload.exp = payload.iat + 600;
  }
  if (mode === 'nonce') payload.nonce = 'not-the-nonce-we-were-given';
  const signed = `${base64url(header)}.${base64url(payload)}`;
  const signature = crypto.sign('RSA-SHA256', Buffer.from(signed), key).toString('base64url');
  return `${signed}.${signature}`;
}

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && mode !== 'none' && ctx.body && ctx.body.id_token) {
    ctx.body = { ...ctx.body, id_token: resign(ctx.body.id_token) };
  }
});

function readForm(req) {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(new URLSearchParams(body)));
  });
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function interaction(req, res, url) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!DOCTYPE html><title>Test provider</title>
<form method="post" action="/interaction/${escape(details.uid)}">
<input name="login"><input name="password" type="password"><button>Sign in</button></form>`);
    return;
  }
  const form = await readForm(req);
  const person = accounts()[form.get('login')];
  if (!person || person.password !== form.get('password')) {
    res.writeHead(401, { 'Content-Type': 'text/plain' });
    res.end('wrong login or password');
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: form.get('login') } }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
http.createServer(async (req, res) => {
  const url = new URL(req.url, issuer);
  try {
    if (url.pathname.startsWith('/interaction/')) {
      await interaction(req, res, url);
    } else if (url.pathname === '/test/id-token' && req.method === 'POST') {
      mode = url.searchParams.get('mode');
      res.writeHead(204);
      res.end();
    } else {
      callback(req, res);
    }
  } catch (error) {
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end(String(error));
  }
}).listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
