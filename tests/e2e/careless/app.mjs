// A deliberately careless Twitch app: everything Twitch's rules forbid, in
// small pieces the rules lab test (tests/e2e/rules_lab.test.mjs) runs
// against twauth serve, each of which `twauth app audit` must catch.  Do
// not copy any of it.

import { createHash } from 'node:crypto';

// How twauth names a token in its record: 12 hex digits of its SHA-256.
export const tokenIdOf = (t) => createHash('sha256').update(t).digest('hex').slice(0, 12);

const form = (params) => ({ method: 'POST', body: new URLSearchParams(params) });

// Calls Helix with a user token, again and again, and never validates it (rule 1).
export async function callHelixNeverValidating({ issuer, clientId, token, calls = 3, gapMs = 0 }) {
  for (let i = 0; i < calls; i++) {
    await fetch(`${issuer}/helix/users`, {
      headers: { Authorization: `Bearer ${token}`, 'Client-Id': clientId } });
    if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
  }
}

// On a 401 it sends the same dead token again, a few times (rule 2).
export async function retryDeadToken({ issuer, clientId, token, tries = 4 }) {
  const statuses = [];
  for (let i = 0; i < tries; i++) {
    const r = await fetch(`${issuer}/helix/users`, {
      headers: { Authorization: `Bearer ${token}`, 'Client-Id': clientId } });
    statuses.push(r.status);
  }
  return statuses;
}

// A public app that keeps only the refresh token it first had: after a
// restart it refreshes with that one again, long replaced (rule 3).
export async function refreshFromStaleConfig({ issuer, clientId, refreshToken }) {
  const refresh = async (rt) => (await fetch(`${issuer}/oauth2/token`, form({
    client_id: clientId, grant_type: 'refresh_token', refresh_token: rt }))).json();
  const first = await refresh(refreshToken);	// the new one lives in memory only
  await refresh(first.refresh_token);		// ... and is rotated once more
  return fetch(`${issuer}/oauth2/token`, form({	// restarted: the config file's
    client_id: clientId, grant_type: 'refresh_token', refresh_token: refreshToken }));
}

// Polls the device flow as fast as it can (rule 4).
export async function pollDeviceTooFast({ issuer, clientId, deviceCode, polls = 4 }) {
  const answers = [];
  for (let i = 0; i < polls; i++) {
    const r = await fetch(`${issuer}/oauth2/token`, form({ client_id: clientId,
      device_code: deviceCode, grant_type: 'urn:ietf:params:oauth:grant-type:device_code' }));
    answers.push((await r.json()).message);
  }
  return answers;
}

// Puts its token in the URL (rule 5).
export async function validateByUrl({ issuer, token }) {
  return fetch(`${issuer}/oauth2/validate?access_token=${encodeURIComponent(token)}`);
}

// A web page that asks for an app token from the browser, the client
// secret in its code (rule 6).
export function secretPage({ issuer, clientId, secret }) {
  return `<!doctype html><title>careless</title><script>
(async () => {
  try {
    // Sent even though the answer cannot be read across origins: the
    // secret has left the page either way.
    await fetch(${JSON.stringify(`${issuer}/oauth2/token`)}, { method: 'POST', mode: 'no-cors',
      body: new URLSearchParams({ client_id: ${JSON.stringify(clientId)},
        client_secret: ${JSON.stringify(secret)}, grant_type: 'client_credentials' }) });
  } finally { document.title = 'sent'; }
})();
</script>`;
}

// Calls Helix from a browser context with an app token (rule 6 too); the
// browser's Fetch metadata as a page's fetch() would send it.
export async function helixWithAppTokenFromPage({ issuer, clientId, appToken }) {
  return fetch(`${issuer}/helix/users?login=twitchdev`, { headers: {
    Authorization: `Bearer ${appToken}`, 'Client-Id': clientId, 'Sec-Fetch-Mode': 'cors',
    'Sec-Fetch-Site': 'cross-site' } });
}
