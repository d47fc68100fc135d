'use strict';
// Token server for a registry in token mode (distribution's `auth: token`), for tests only.
// Usage: node registry-token-server.js PORT KEY.pem CERT.pem USERS_FILE ISSUER SERVICE
// USERS_FILE holds `user:password` lines. GET /token?service=S&scope=repository:NAME:ACTIONS
// answers an RS256 JWT whose header carries the certificate (x5c) the registry trusts: with good
// Basic credentials every requested action, anonymously `pull` on repositories under
// fleet-test-public/ and nothing else, and 401 for wrong credentials. GET /requests lists the
// token requests served so far ({account, scopes}), so that tests can count them.
const http = require('http');
const crypto = require('crypto');
const fs = require('fs');

const [port, keyFile, certFile, usersFile, issuer, service] = process.argv.slice(2);
const key = crypto.createPrivateKey(fs.readFileSync(keyFile));
const certificate = new crypto.X509Certificate(fs.readFileSync(certFile)).raw.toString('base64');
const users = new Map(fs.readFileSync(usersFile, 'utf8').split('\n').filter(Boolean)
  .map(line => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]));
const lifetimeSeconds = Number(process.env.TOKEN_LIFETIME_SECONDS || 300);
const requests = [];

const base64url = value => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function sign(claims) {
  const unsigned = `${base64url({ alg: 'RS256', typ: 'JWT', x5c: [certificate] })}.${base64url(claims)}`;
  return `${unsigned}.${crypto.sign('sha256', Buffer.from(unsigned), key).toString('base64url')}`;
}

// Returns the account name, '' for anonymous, or null for wrong credentials.
function account(header) {
  if (!header) return '';
  const match = /^Basic (.+)$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const user = decoded.slice(0, decoded.indexOf(':'));
  return users.has(user) && users.get(user) === decoded.slice(decoded.indexOf(':') + 1) ? user : null;
}

function send(response, status, body) {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

http.createServer((request, response) => {
  const url = new URL(request.url, 'http://127.0.0.1');
  if (url.pathname === '/requests') return send(response, 200, requests);
  if (url.pathname !== '/token') return send(response, 404, { errors: [{ code: 'NOT_FOUND' }] });
  const user = account(request.headers.authorization);
  const scopes = url.searchParams.getAll('scope');
  if (user === null) {
    console.log(`refused credentials for scopes ${scopes.join(' ')}`);
    return send(response, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] });
  }
  requests.push({ account: user, scopes });
  console.log(`token for '${user}', scopes ${scopes.join(' ')}`);
  const access = scopes.map(scope => {
    const [type, name, actions] = scope.split(':');
    const allowed = user !== '' ? actions.split(',')
      : name.startsWith('fleet-test-public/') ? actions.split(',').filter(a => a === 'pull') : [];
    return { type, name, actions: allowed };
  });
  const now = Math.floor(Date.now() / 1000);
  const token = sign({
    iss: issuer, sub: user, aud: url.searchParams.get('service') || service,
    exp: now + lifetimeSeconds, nbf: now - 10, iat: now, jti: crypto.randomUUID(), access,
  });
  send(response, 200, { token, access_token: token, expires_in: lifetimeSeconds, issued_at: new Date(now * 1000).toISOString() });
}).listen(Number(port), '127.0.0.1');
