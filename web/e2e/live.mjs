// End-to-end scenario for missed live updates, called by run.mjs (it stands alone:
// importing run.mjs would start its run).
//
//   await liveScenario(context, { baseUrl, author })
//
// The author's tweets are posted `public` (the author may have a protected account).
//
// `context` is a signed-in browser context (the reader's); `author` a signed-in page of
// another user. A new page of the reader's context opens the Latest timeline with its
// WebSocket passed through a relay the test controls. Then the relay goes silent (as a
// sleeping laptop or a dead network path: the socket stays "open", nothing arrives), and
// the author posts, edits a shown tweet and deletes another. The app must notice the
// silence by its heartbeat, reconnect, and catch up: the edit shown, the deleted tweet
// gone, the new tweet behind the "1 new tweet" banner. The context then goes offline:
// the banner says so in words, and goes away when it is back online.

const TIMEOUT = 15_000;
/** The heartbeat gives up a silent socket within 25 s (15 s between pings, 10 s to answer). */
const SILENCE_DETECTED = 40_000;

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function api(page, baseUrl, method, path, body) {
  const token = await page.evaluate(() => localStorage.getItem('starling.token'));
  assert(token, 'the author page is not signed in');
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Idempotency-Key'] = crypto.randomUUID();
  }
  const r = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? null : r.json();
}

export async function liveScenario(context, { baseUrl, author }) {
  const stamp = Date.now().toString(36);
  const kept = await api(author, baseUrl, 'POST', '/api/tweets', { content: `kept, first version ${stamp}`, visibility: 'public' });
  const doomed = await api(author, baseUrl, 'POST', '/api/tweets', { content: `to be deleted while away ${stamp}`, visibility: 'public' });

  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  // Every connection the page opens is relayed; `silent` connections pass nothing on.
  const connections = [];
  await page.routeWebSocket(/\/api\/stream/, (ws) => {
    const server = ws.connectToServer();
    const connection = { silent: false };
    connections.push(connection);
    ws.onMessage((m) => {
      if (!connection.silent) server.send(m);
    });
    server.onMessage((m) => {
      if (!connection.silent) ws.send(m);
    });
  });
  try {
    await scenario(page, context, connections, { baseUrl, author, kept, doomed, stamp });
  } catch (e) {
    await page.screenshot({ path: new URL('../e2e-artifacts/live-failure.png', import.meta.url).pathname, fullPage: true }).catch(() => {});
    throw e;
  }
  await page.close();
}

async function scenario(page, context, connections, { baseUrl, author, kept, doomed, stamp }) {
  await page.goto(`${baseUrl}/latest`);
  const article = (id) => page.locator(`article[data-tweet-id="${id}"]`);
  await article(kept.id).waitFor();
  await article(doomed.id).waitFor();
  assert(connections.length === 1, `${connections.length} stream connections before the silence`);

  for (const c of connections) c.silent = true;
  const posted = await api(author, baseUrl, 'POST', '/api/tweets', { content: `posted while away ${stamp}`, visibility: 'public' });
  await api(author, baseUrl, 'PUT', `/api/tweets/${kept.id}`, { content: `edited while away ${stamp}` });
  await api(author, baseUrl, 'DELETE', `/api/tweets/${doomed.id}`);

  // Nothing arrives over the silent socket: the page learns it from its heartbeat.
  await page.getByText(`edited while away ${stamp}`, { exact: true }).waitFor({ timeout: SILENCE_DETECTED });
  await article(doomed.id).waitFor({ state: 'detached' });
  assert(connections.length >= 2, 'the page did not open a new stream connection');
  assert((await article(posted.id).count()) === 0, 'the new tweet was put into the list instead of behind the banner');
  await page.getByRole('button', { name: 'Show 1 new tweet' }).click();
  await article(posted.id).waitFor();

  // Offline: said in words, and gone once back online.
  const banner = page.getByRole('status').filter({ hasText: 'You’re offline' });
  await context.setOffline(true);
  await banner.waitFor();
  await context.setOffline(false);
  await banner.waitFor({ state: 'hidden' });
}
