// End-to-end: a real `starling` server with a temporary data directory, driven
// through Debian's Chromium by playwright-core. Two users in two browser
// contexts (desktop and phone); screenshots of every screen go to
// web/e2e-artifacts/. Prints `N passed, M failed` last and exits non-zero on
// any failure; the server is killed whatever happens.
//
// Env: STARLING_BIN (default <repo>/target/release/starling),
//      CHROMIUM_PATH (default /usr/bin/chromium), E2E_KEEP_DATA=1 to keep the data dir,
//      E2E_DIST (default web/dist: the built UI to serve).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { chromium } from 'playwright-core';
import { mediaScenario } from './media.mjs';
import { liveScenario } from './live.mjs';
import { artifacts, bin, chromiumPath, repo, startServer, stopServer } from './server.mjs';
import { auditScreens, countByRule, describeFindings } from './a11y.mjs';

/** The committed OpenAPI document, from which src/api/schema.gen.ts (the client's types) is generated. */
const committedDoc = JSON.parse(readFileSync(join(repo, 'docs', 'openapi.json'), 'utf8'));
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TIMEOUT = 15_000;

// ---------------------------------------------------------------- tiny runner

const results = [];
let aborted = false;

/** Runs one named check; after a failure the rest are reported as not run (they depend on it). */
async function step(name, fn) {
  if (aborted) {
    results.push({ name, ok: false, skipped: true });
    console.log(`  - ${name} (not run: an earlier step failed)`);
    return;
  }
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ✔ ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    aborted = true;
    console.log(`  ✘ ${name}\n    ${String(e?.stack ?? e).split('\n').join('\n    ')}`);
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

// ---------------------------------------------------------------- server

// ---------------------------------------------------------------- helpers

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

async function signUp(page, base, username, displayName) {
  await page.goto(`${base}/signup`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Display name (optional)').fill(displayName);
  await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up' }).click();
  // A signed-in reader lands on their home timeline.
  await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor({ timeout: TIMEOUT });
  await page.getByRole('button', { name: 'Log out' }).waitFor({ timeout: TIMEOUT });
}

/** A link of the main navigation, by its exact name. */
function navLink(page, name) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

function card(page, id) {
  return page.locator(`article[data-tweet-id="${id}"]`);
}

/**
 * Keys of a real server answer against its schema in the committed docs/openapi.json (the source of
 * the client's generated types): every required property present, nothing the schema does not declare.
 */
function checkKeys(what, value, schemaName) {
  assert(value && typeof value === 'object', `${what}: not an object: ${JSON.stringify(value)}`);
  const schema = committedDoc.components?.schemas?.[schemaName];
  assert(schema, `${what}: no schema ${schemaName} in docs/openapi.json`);
  const got = Object.keys(value);
  const declared = Object.keys(schema.properties ?? {});
  const missing = (schema.required ?? []).filter((k) => !got.includes(k));
  const extra = got.filter((k) => !declared.includes(k));
  assert(missing.length === 0 && extra.length === 0, `${what}: the answer and schema ${schemaName} differ; missing ${JSON.stringify(missing)}, undeclared ${JSON.stringify(extra)}`);
}

/** The first place two JSON values differ, as a JSON pointer and both values (or null when equal). */
function firstDifference(a, b, path = '') {
  if (isDeepStrictEqual(a, b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[k], b[k], `${path}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`);
      if (d) return d;
    }
  }
  return `${path || '/'}: served ${JSON.stringify(a)?.slice(0, 200)}, committed ${JSON.stringify(b)?.slice(0, 200)}`;
}

// ---------------------------------------------------------------- the run

async function main() {
  mkdirSync(artifacts, { recursive: true });
  console.log(`e2e: server ${bin}\n     chromium ${chromiumPath}\n     screenshots ${artifacts}`);

  let server;
  let browser;
  const pageErrors = [];
  /** Uncaught errors, and anything the server's Content-Security-Policy blocks, fail the run's last step. */
  const watchErrors = (page, who) => {
    page.on('pageerror', (e) => pageErrors.push(`${who}: ${e.message}`));
    page.on('console', (m) => {
      if (m.text().includes('Content Security Policy')) pageErrors.push(`${who}: ${m.text()}`);
    });
  };
  try {
    await step('server starts with a temporary data dir and answers /api/health', async () => {
      server = await startServer().catch((e) => {
        server = e.server;
        throw e;
      });
      current = server;
      const health = await (await fetch(`${server.base}/api/health`)).json();
      checkKeys('health', health, 'Health');
      assert(health.status === 'ok', `health status ${health.status}`);
    });
    const base = server?.base;

    let alice, bob, ctxA, ctxB;
    await step('Chromium launches with two contexts (desktop and phone)', async () => {
      assert(existsSync(chromiumPath), `no Chromium at ${chromiumPath}; apt-get install -y chromium (or set CHROMIUM_PATH)`);
      browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
      ctxA = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      ctxB = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
      alice = await ctxA.newPage();
      bob = await ctxB.newPage();
      for (const [who, p] of [['alice', alice], ['bob', bob]]) {
        watchErrors(p, who);
        p.setDefaultTimeout(TIMEOUT);
      }
    });

    await step('sign-up shows field errors next to the field', async () => {
      await alice.goto(`${base}/signup`);
      await alice.getByLabel('Username').fill('alice');
      await alice.getByLabel('Password', { exact: true }).fill('short');
      await alice.getByRole('button', { name: 'Sign up' }).click();
      await alice.getByText('Use 8 to 128 characters.').waitFor();
      assert((await alice.getByLabel('Password', { exact: true }).getAttribute('aria-invalid')) === 'true', 'password not marked invalid');
      await shot(alice, '01-signup-field-error');
    });

    await step('two users sign up in two browser contexts', async () => {
      await signUp(alice, base, 'alice', 'Alice Liddell');
      await signUp(bob, base, 'bob', 'Bob');
      // Bob follows no one yet: he reads the latest public tweets.
      await navLink(bob, 'Latest').click();
      await bob.getByRole('heading', { name: 'Latest', level: 1 }).waitFor();
      await shot(bob, '02-phone-timeline-empty');
    });

    await step('the server refuses a taken username, shown at the username field', async () => {
      const p = await browser.newPage();
      await p.goto(`${base}/signup`);
      await p.getByLabel('Username').fill('ALICE');
      await p.getByLabel('Password', { exact: true }).fill('another password');
      await p.getByRole('button', { name: 'Sign up' }).click();
      await p.getByText('That username is taken.').waitFor();
      await shot(p, '03-signup-username-taken');
      await p.close();
    });

    let tweetId;
    const first = 'Hello from Alice #starling @bob https://example.com/a/really/long/link 🚀';
    await step('Alice posts; the counter counts the link as 23 and the emoji as 2', async () => {
      const box = alice.getByRole('textbox', { name: /what’s happening/i });
      await box.fill(first);
      const remaining = await alice.getByTestId('counter-remaining').textContent();
      // 'Hello from Alice #starling @bob ' = 32, link 23, ' ' 1, emoji 2 -> 58
      assert(remaining === String(280 - 58), `counter shows ${remaining}, expected ${280 - 58}`);
      await alice.getByRole('button', { name: 'Post' }).click();
      const article = alice.locator('article', { hasText: 'Hello from Alice' }).first();
      await article.waitFor();
      await alice.waitForFunction(() => !document.querySelector('article[data-tweet-id^="pending:"]'));
      tweetId = await alice.locator('article', { hasText: 'Hello from Alice' }).first().getAttribute('data-tweet-id');
      assert(tweetId && /^\d+$/.test(tweetId), `tweet id ${tweetId}`);
      const hashtag = card(alice, tweetId).getByRole('link', { name: '#starling' });
      assert((await hashtag.getAttribute('href')) === '/latest?hashtag=starling', 'hashtag link');
      const url = card(alice, tweetId).getByRole('link', { name: /example\.com/ });
      assert((await url.getAttribute('href'))?.startsWith('https://example.com/'), 'url link');
      await shot(alice, '04-desktop-posted');
    });

    await step('Bob gets a "new tweets" banner from the stream and shows the tweet', async () => {
      const banner = bob.getByRole('button', { name: /show 1 new tweet/i });
      await banner.waitFor();
      await shot(bob, '05-phone-new-tweets-banner');
      await banner.click();
      await card(bob, tweetId).waitFor();
      await shot(bob, '06-phone-timeline');
    });

    await step('Bob likes it and Alice sees the count change live', async () => {
      const aliceCount = card(alice, tweetId).getByTestId('like-count');
      assert((await aliceCount.textContent()) === '0', 'like count starts at 0');
      await card(bob, tweetId).getByTestId('like-button').click();
      await bob.waitForFunction((id) => document.querySelector(`article[data-tweet-id="${id}"] [data-testid="like-button"]`)?.getAttribute('aria-pressed') === 'true', tweetId);
      await alice.waitForFunction(
        (id) => document.querySelector(`article[data-tweet-id="${id}"] [data-testid="like-count"]`)?.textContent === '1',
        tweetId,
        { timeout: TIMEOUT },
      );
      // Alice did not like it herself: the stream's viewer-neutral flag must not claim she did.
      assert((await card(alice, tweetId).getByTestId('like-button').getAttribute('aria-pressed')) === 'false', 'alice shown as liking');
      await shot(alice, '07-desktop-live-like');
    });

    await step('Bob’s double click on retweet counts once', async () => {
      await card(bob, tweetId).getByTestId('retweet-button').dblclick();
      await bob.waitForFunction((id) => {
        const b = document.querySelector(`article[data-tweet-id="${id}"] [data-testid="retweet-button"]`);
        return b?.getAttribute('aria-pressed') === 'true' && b.getAttribute('aria-busy') === null;
      }, tweetId);
      const t = await (await fetch(`${base}/api/tweets/${tweetId}`)).json();
      assert(t.engagement.retweets === 1, `retweets ${t.engagement.retweets} after a double click`);
    });

    await step('Alice edits in place, sees "Edited", and the history highlights the change', async () => {
      await card(alice, tweetId).getByRole('button', { name: 'Edit' }).click();
      const box = card(alice, tweetId).getByRole('textbox', { name: 'Tweet text' });
      await box.fill('Hello again from Alice #starling @bob https://example.com/a/really/long/link 🚀');
      await shot(alice, '08-desktop-editing');
      await card(alice, tweetId).getByRole('button', { name: 'Save' }).click();
      await card(alice, tweetId).getByRole('link', { name: 'Edited' }).waitFor();
      await card(alice, tweetId).getByRole('link', { name: 'Edited' }).click();
      await alice.getByRole('heading', { name: /version history/i }).waitFor();
      await alice.locator('li.version').nth(1).waitFor();
      assert((await alice.locator('li.version').count()) === 2, 'two versions listed');
      const added = await alice.locator('li.version[data-version="2"] ins').allTextContents();
      assert(added.join(' ').includes('again'), `highlighted additions: ${JSON.stringify(added)}`);
      await shot(alice, '09-desktop-history');
    });

    await step('an edit from a stale tab is reported as a conflict, not overwritten', async () => {
      const stale = await ctxA.newPage();
      stale.on('pageerror', (e) => pageErrors.push(`alice (2nd tab): ${e.message}`));
      await stale.goto(`${base}/tweets/${tweetId}`);
      await card(stale, tweetId).getByRole('button', { name: 'Edit' }).click();
      // Meanwhile the first tab edits again.
      await alice.goto(`${base}/tweets/${tweetId}`);
      await card(alice, tweetId).getByRole('button', { name: 'Edit' }).click();
      await card(alice, tweetId).getByRole('textbox', { name: 'Tweet text' }).fill('Third version #starling');
      await card(alice, tweetId).getByRole('button', { name: 'Save' }).click();
      await card(alice, tweetId).getByRole('link', { name: 'Edited' }).waitFor();
      await card(alice, tweetId).getByText('Third version').waitFor();

      await card(stale, tweetId).getByRole('textbox', { name: 'Tweet text' }).fill('Stale tab text');
      await card(stale, tweetId).getByRole('button', { name: 'Save' }).click();
      await stale.getByText(/changed somewhere else while you were editing/i).waitFor();
      await shot(stale, '10-desktop-edit-conflict');
      const t = await (await fetch(`${base}/api/tweets/${tweetId}`)).json();
      assert(t.content === 'Third version #starling', `stale edit overwrote: ${t.content}`);
      await stale.close();
    });

    await step('restore an older version after confirming', async () => {
      await alice.goto(`${base}/tweets/${tweetId}/history`);
      await alice.locator('li.version[data-version="1"]').getByRole('button', { name: 'Restore' }).click();
      await alice.getByRole('alertdialog').getByRole('button', { name: 'Restore' }).click();
      await alice.locator('li.version[data-version="4"]').waitFor();
      const t = await (await fetch(`${base}/api/tweets/${tweetId}`)).json();
      assert(t.content === first && t.version === 4, `after restore: v${t.version} ${t.content}`);
      await shot(alice, '11-desktop-history-restored');
    });

    await step('drafts and the archive are listed under My tweets', async () => {
      await alice.goto(`${base}/`);
      await alice.getByRole('textbox', { name: /what’s happening/i }).fill('A thought for later');
      await alice.getByRole('button', { name: 'Save draft' }).click();
      await alice.getByText('Saved to your drafts.').waitFor();
      await alice.getByRole('textbox', { name: /what’s happening/i }).fill('This one goes to the archive');
      await alice.getByRole('button', { name: 'Post' }).click();
      const toArchive = alice.locator('article:not([data-tweet-id^="pending:"])', { hasText: 'This one goes to the archive' });
      await toArchive.waitFor();
      await toArchive.getByRole('button', { name: 'Archive' }).click();
      await toArchive.getByRole('alertdialog').getByRole('button', { name: 'Archive' }).click();
      await toArchive.waitFor({ state: 'detached' });

      await alice.getByRole('link', { name: 'My tweets' }).click();
      await alice.getByRole('link', { name: 'Drafts' }).click();
      await alice.locator('article', { hasText: 'A thought for later' }).waitFor();
      await shot(alice, '12-desktop-my-drafts');
      await alice.getByRole('link', { name: 'Archive' }).click();
      await alice.locator('article', { hasText: 'This one goes to the archive' }).waitFor();
      await shot(alice, '13-desktop-my-archive');
    });

    await step('the client’s DTO types match the server’s answers', async () => {
      const token = await alice.evaluate(() => localStorage.getItem('starling.token'));
      const auth = { Authorization: `Bearer ${token}` };
      const get = async (path, headers = {}) => {
        const r = await fetch(`${base}${path}`, { headers });
        assert(r.ok, `GET ${path} -> ${r.status}`);
        return r.json();
      };
      const tweet = await get(`/api/tweets/${tweetId}`, auth);
      checkKeys('tweet', tweet, 'TweetDto');
      checkKeys('tweet.author', tweet.author, 'AuthorDto');
      checkKeys('tweet.entities', tweet.entities, 'EntitiesDto');
      checkKeys('tweet.engagement', tweet.engagement, 'EngagementDto');
      checkKeys('tweet.engagement.velocity', tweet.engagement.velocity, 'VelocityDto');
      checkKeys('user', await get('/api/me', auth), 'UserDto');
      const versions = await get(`/api/tweets/${tweetId}/versions`, auth);
      checkKeys('version', versions.items[0], 'VersionDto');
      const events = await get(`/api/tweets/${tweetId}/events`, auth);
      checkKeys('event', events.items[0], 'EventDto');
      const page = await get('/api/tweets?limit=1');
      checkKeys('page', page, 'TweetPage');
      checkKeys('stats', await get('/api/tweets/system/stats'), 'Stats');
    });

    await step('the served /api/openapi.json is the committed docs/openapi.json (the client’s types are generated from it)', async () => {
      const r = await fetch(`${base}/api/openapi.json`);
      assert(r.ok, `GET /api/openapi.json -> ${r.status}`);
      const served = await r.json();
      const diff = firstDifference(served, committedDoc);
      assert(diff === null, `the server's OpenAPI document differs from docs/openapi.json at ${diff}\n` +
        'regenerate it (UPDATE_OPENAPI=1 cargo test -p starling-api committed_document), then `npm --prefix web run gen:api`');
    });

    await step('the built app’s scripts are sent precompressed and cached for a year, the shell revalidated, no source maps', async () => {
      const shell = await fetch(`${base}/`, { headers: { 'accept-encoding': 'br' } });
      assert(shell.headers.get('cache-control') === 'no-cache', `shell cache-control: ${shell.headers.get('cache-control')}`);
      const html = await shell.text();
      // The app's script (boot.ts's entry beside it is under 1 KiB: sent as it is).
      const script = html.match(/src="(\/assets\/index-[^"]+\.js)"/)?.[1];
      assert(script, 'no script in the shell');
      const js = await fetch(`${base}${script}`, { headers: { 'accept-encoding': 'br, gzip' } });
      assert(js.headers.get('content-encoding') === 'br', `script encoding: ${js.headers.get('content-encoding')}`);
      assert(js.headers.get('cache-control') === 'public, max-age=31536000, immutable', `script cache-control: ${js.headers.get('cache-control')}`);
      const body = await js.text();
      assert(!body.includes('sourceMappingURL'), 'the script points at a source map');
      assert((await fetch(`${base}${script}.map`)).status === 404, 'a source map is served');
    });

    await step('the dashboard draws non-empty time-series charts', async () => {
      await alice.goto(`${base}/dashboard`);
      await alice.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await alice.waitForFunction(() => {
        const charts = [...document.querySelectorAll('figure.chart')];
        // Five overview charts, then Home timelines' backlog, delivery latency and deliveries/s.
        return charts.length === 8 && charts.every((c) => Number(c.getAttribute('data-samples')) >= 3);
      }, undefined, { timeout: 20_000 });
      // Every chart has drawn a line: its canvas holds coloured pixels.
      const painted = await alice.evaluate(() =>
        [...document.querySelectorAll('figure.chart canvas')].map((c) => {
          const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
          let n = 0;
          for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && !(data[i] === data[i + 1] && data[i + 1] === data[i + 2])) n++;
          return n;
        }),
      );
      assert(painted.length === 8 && painted.every((n) => n > 20), `chart pixels: ${JSON.stringify(painted)}`);
      const rps = await alice.locator('figure.chart', { hasText: 'Requests per second' }).locator('.chart-latest').textContent();
      assert(/\d/.test(rps ?? ''), `requests chart latest value: ${rps}`);
      const home = Object.fromEntries(await alice.getByRole('region', { name: 'Home timelines' }).locator('dt')
        .evaluateAll((dts) => dts.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])));
      assert(/^\d/.test(home['Backlog']) && /^\d/.test(home['Deliveries per second']) && /^\d[\d,]* ms$/.test(home['Delivery latency p99'])
        && /^(in Redis|\d[\d,]*)$/.test(home['Timelines stored']), `Home timelines figures: ${JSON.stringify(home)}`);
      await shot(alice, '14-desktop-dashboard');
      await bob.goto(`${base}/dashboard`);
      await bob.waitForFunction(() => Number(document.querySelector('figure.chart')?.getAttribute('data-samples')) >= 2);
      await shot(bob, '15-phone-dashboard');
    });

    await step('log out, then log in again (wrong password shown on the form)', async () => {
      await bob.goto(`${base}/`);
      await bob.getByRole('button', { name: 'Log out' }).click();
      await bob.getByRole('link', { name: 'Log in' }).first().waitFor();
      assert((await bob.evaluate(() => localStorage.getItem('starling.token'))) === null, 'token kept after logout');
      await bob.goto(`${base}/login`);
      await bob.getByLabel('Username').fill('bob');
      await bob.getByLabel('Password').fill('not the password');
      await bob.getByRole('button', { name: 'Log in' }).click();
      await bob.getByText('Wrong username or password.').waitFor();
      await shot(bob, '16-phone-login-error');
      await bob.getByLabel('Password').fill('correct horse battery');
      await bob.getByRole('button', { name: 'Log in' }).click();
      await bob.getByRole('button', { name: 'Log out' }).waitFor();
      await bob.reload();
      await bob.getByRole('button', { name: 'Log out' }).waitFor(); // the token survives a reload
    });

    let carol;
    await step('a third user signs up in a third context', async () => {
      const ctxC = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      carol = await ctxC.newPage();
      carol.on('pageerror', (e) => pageErrors.push(`carol: ${e.message}`));
      carol.setDefaultTimeout(TIMEOUT);
      await signUp(carol, base, 'carol', 'Carol');
    });

    /** GET as the user signed in on `page`. */
    const getAs = async (page, path) => {
      const token = await page.evaluate(() => localStorage.getItem('starling.token'));
      const r = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      assert(r.ok, `GET ${path} -> ${r.status}`);
      return r.json();
    };

    await step('Alice protects her account and writes a bio in settings', async () => {
      await alice.goto(`${base}/`);
      await alice.getByRole('link', { name: 'Settings' }).click();
      await alice.getByRole('heading', { name: 'Settings' }).waitFor();
      await alice.getByLabel('Bio').fill('Down the rabbit hole');
      await alice.getByLabel('Protect my tweets').check();
      await alice.getByRole('button', { name: 'Save', exact: true }).click();
      await alice.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      const p = await (await fetch(`${base}/api/users/@alice`)).json();
      checkKeys('profile', p, 'ProfileDto');
      assert(p.protected === true && p.bio === 'Down the rabbit hole', `profile after saving: ${JSON.stringify(p)}`);
      await shot(alice, '17-desktop-settings');
    });

    await step('Bob asks to follow Alice: the button shows Requested', async () => {
      await bob.goto(`${base}/u/alice`);
      await bob.getByRole('heading', { name: 'Alice Liddell' }).waitFor();
      await bob.getByText('Down the rabbit hole').waitFor();
      await bob.getByRole('button', { name: 'Follow', exact: true }).click();
      await bob.getByRole('button', { name: 'Requested' }).waitFor();
      const p = await getAs(bob, '/api/users/@alice');
      assert(p.relationship.requested === true && p.relationship.following === false, `relationship ${JSON.stringify(p.relationship)}`);
      await shot(bob, '18-phone-profile-requested');
    });

    await step('Alice accepts on the requests page; Bob follows her and she sees "Follows you"', async () => {
      await alice.getByRole('link', { name: 'Requests' }).click();
      await alice.getByRole('heading', { name: 'Follow requests' }).waitFor();
      await shot(alice, '19-desktop-follow-requests');
      await alice.getByRole('button', { name: 'Accept @bob' }).click();
      await alice.getByText('No one is waiting.').waitFor();
      await bob.reload();
      await bob.getByRole('button', { name: 'Unfollow' }).waitFor();
      const p = await getAs(bob, '/api/users/@alice');
      assert(p.relationship.following === true && p.counts.followers === 1, `after accepting: ${JSON.stringify(p)}`);
      await alice.goto(`${base}/u/bob`);
      await alice.getByRole('heading', { name: 'Bob' }).waitFor();
      await alice.getByText('Follows you').waitFor();
    });

    await step('the followers list: Bob on Alice’s, and hidden from Carol (a protected account’s lists)', async () => {
      await bob.goto(`${base}/u/alice`);
      await bob.getByRole('link', { name: 'Followers' }).click();
      await bob.getByRole('heading', { name: 'Followers of @alice' }).waitFor();
      await bob.locator('.user-row').filter({ hasText: '@bob' }).waitFor();
      await carol.goto(`${base}/u/alice/followers`);
      await carol.getByRole('alert').filter({ hasText: 'Only approved followers can see this list.' }).waitFor();
      assert((await carol.locator('.user-row').count()) === 0, 'carol sees alice’s followers');
    });

    const secret = 'Only for my followers 🔒';
    let secretId;
    await step('Alice posts a followers-only tweet (the default for a protected account)', async () => {
      // Above the public timeline, which never lists it (her home would, at once).
      await alice.goto(`${base}/latest`);
      await alice.waitForFunction(() => document.querySelector('select[aria-label="Visibility"]')?.value === 'followers');
      await alice.getByRole('textbox', { name: /what’s happening/i }).fill(secret);
      await alice.getByRole('combobox', { name: 'Visibility' }).selectOption('followers');
      await alice.getByRole('button', { name: 'Post' }).click();
      await alice.getByRole('status').filter({ hasText: 'Posted for your followers' }).waitFor();
      secretId = (await alice.getByRole('link', { name: 'View it' }).getAttribute('href'))?.split('/').pop();
      assert(secretId && /^\d+$/.test(secretId), `followers-only tweet id ${secretId}`);
      const t = await getAs(alice, `/api/tweets/${secretId}`);
      assert(t.visibility === 'followers' && t.content === secret, `posted ${t.visibility}: ${t.content}`);
      assert((await card(alice, secretId).count()) === 0, 'a followers-only tweet was put in the public list');
    });

    await step('Bob sees the followers-only tweet on Alice’s profile; Carol does not', async () => {
      await bob.goto(`${base}/u/alice`);
      await card(bob, secretId).getByText(secret).waitFor();
      await shot(bob, '20-phone-profile-as-follower');
      await carol.goto(`${base}/u/alice`);
      await card(carol, tweetId).waitFor(); // her public tweets are listed
      assert((await card(carol, secretId).count()) === 0, 'carol sees the followers-only tweet');
      assert((await carol.getByRole('button', { name: 'Follow', exact: true }).count()) === 1, 'carol has no follow button');
      const token = await carol.evaluate(() => localStorage.getItem('starling.token'));
      const r = await fetch(`${base}/api/tweets/${secretId}`, { headers: { Authorization: `Bearer ${token}` } });
      assert(r.status === 404, `carol reads the followers-only tweet: ${r.status}`);
      await shot(carol, '21-desktop-profile-as-stranger');
    });

    await step('a reply to a followers-only tweet cannot be wider than it', async () => {
      await bob.goto(`${base}/tweets/${secretId}`);
      await bob.getByRole('textbox', { name: 'Post your reply' }).waitFor(); // evaluateAll does not wait
      const options = await bob
        .getByRole('combobox', { name: 'Visibility' })
        .locator('option')
        .evaluateAll((os) => os.map((o) => `${o.value}:${o.disabled ? 'off' : 'on'}${o.selected ? ':selected' : ''}`));
      assert(isDeepStrictEqual(options, ['public:off', 'unlisted:off', 'followers:on:selected']), `reply options ${JSON.stringify(options)}`);
    });

    const shared = 'A public note from Alice #starling';
    let sharedId;
    await step('Bob retweets a public tweet of Alice and it shows on his profile as a retweet', async () => {
      await alice.goto(`${base}/`);
      await alice.getByRole('textbox', { name: /what’s happening/i }).fill(shared);
      await alice.getByRole('combobox', { name: 'Visibility' }).selectOption('public');
      await alice.getByRole('button', { name: 'Post' }).click();
      const posted = alice.locator('article:not([data-tweet-id^="pending:"])', { hasText: shared });
      await posted.waitFor();
      sharedId = await posted.getAttribute('data-tweet-id');
      assert((await getAs(alice, `/api/tweets/${sharedId}`)).visibility === 'public', 'shared tweet not public');

      await bob.goto(`${base}/u/alice`);
      await card(bob, sharedId).getByTestId('retweet-button').click();
      await bob.waitForFunction((id) => {
        const b = document.querySelector(`article[data-tweet-id="${id}"] [data-testid="retweet-button"]`);
        return b?.getAttribute('aria-pressed') === 'true' && b.getAttribute('aria-busy') === null;
      }, sharedId);
      await bob.getByRole('link', { name: 'Profile' }).click();
      await bob.getByRole('heading', { name: 'Bob' }).waitFor();
      const entry = bob.locator(`.retweet-entry:has(article[data-tweet-id="${sharedId}"])`);
      await entry.waitFor();
      const note = await entry.locator('.retweet-note').textContent();
      assert(note?.includes('Bob retweeted'), `retweet note: ${note}`);
      const page = await getAs(bob, '/api/users/@bob/tweets');
      const rt = page.items.find((t) => t.kind === 'retweet' && t.retweetOf?.id === sharedId);
      assert(rt && (await entry.getAttribute('data-retweet-id')) === rt.id, 'the entry is the retweet');
      await shot(bob, '22-phone-profile-retweet');
    });

    await step('Bob quotes it: the composer shows the original, the quote embeds it', async () => {
      await card(bob, sharedId).getByRole('button', { name: /^Quote/ }).click();
      const form = bob.getByRole('form', { name: 'Quote tweet' });
      await form.locator(`[data-quoted-id="${sharedId}"]`).waitFor(); // the original, shown in the composer
      await form.getByRole('textbox', { name: 'Add a comment' }).fill('Worth reading');
      await shot(bob, '23-phone-quote-composer');
      await form.getByRole('button', { name: 'Post' }).click();
      await form.waitFor({ state: 'detached' });
      const quote = bob.locator('article', { hasText: 'Worth reading' });
      await quote.locator(`[data-quoted-id="${sharedId}"]`).waitFor();
      const quoteId = await quote.getAttribute('data-tweet-id');
      const t = await getAs(bob, `/api/tweets/${quoteId}`);
      assert(t.kind === 'quote' && t.quoteOf?.id === sharedId, `quote ${t.kind} of ${t.quoteOf?.id}`);
      await shot(bob, '24-phone-profile-quote');
    });

    await step('a reply shows in the thread, and the reply’s page shows its parent above it', async () => {
      await bob.goto(`${base}/tweets/${sharedId}`);
      await card(bob, sharedId).waitFor();
      await bob.getByRole('textbox', { name: 'Post your reply' }).fill('Agreed, Alice');
      await bob.getByRole('button', { name: 'Reply', exact: true }).click();
      const reply = bob.locator('.thread-reply[data-depth="1"] article', { hasText: 'Agreed, Alice' });
      await reply.waitFor();
      const replyId = await reply.getAttribute('data-tweet-id');
      const t = await getAs(bob, `/api/tweets/${replyId}`);
      assert(t.replyToId === sharedId && t.visibility === 'public', `reply to ${t.replyToId}, ${t.visibility}`);
      await bob.waitForFunction(
        (id) => document.querySelector(`.thread-main article[data-tweet-id="${id}"] .stat[title="Replies"]`)?.textContent === 'Replies: 1',
        sharedId,
      );
      await shot(bob, '25-phone-thread');
      await alice.goto(`${base}/tweets/${sharedId}`);
      await alice.locator(`.thread-reply article[data-tweet-id="${replyId}"]`).waitFor();
      await alice.goto(`${base}/tweets/${replyId}`);
      await alice.locator(`.thread-ancestors article[data-tweet-id="${sharedId}"]`).waitFor();
      await shot(alice, '26-desktop-thread-ancestors');
    });

    await step('Bob blocks Carol; she can no longer follow him', async () => {
      await bob.goto(`${base}/u/carol`);
      await bob.getByRole('heading', { name: 'Carol' }).waitFor();
      await bob.getByRole('button', { name: 'Block', exact: true }).click();
      await bob.getByRole('alertdialog').getByRole('button', { name: 'Block' }).click();
      await bob.getByRole('button', { name: 'Unblock' }).waitFor();
      await bob.getByText('You have blocked @carol.').waitFor();
      const p = await getAs(bob, '/api/users/@carol');
      assert(p.relationship.blocking === true, `relationship ${JSON.stringify(p.relationship)}`);
      await shot(bob, '27-phone-blocked');
      await carol.goto(`${base}/u/bob`);
      await carol.getByText('@bob has blocked you.').waitFor();
      assert((await carol.getByRole('button', { name: 'Follow', exact: true }).count()) === 0, 'carol can still try to follow bob');
      await shot(carol, '28-desktop-blocked-by');
    });

    await step('Alice mutes Carol, then unmutes her', async () => {
      await alice.goto(`${base}/u/carol`);
      await alice.getByRole('button', { name: 'Mute', exact: true }).click();
      await alice.getByRole('button', { name: 'Unmute' }).waitFor();
      assert((await getAs(alice, '/api/users/@carol')).relationship.muting === true, 'not muting after Mute');
      await alice.getByRole('button', { name: 'Unmute' }).click();
      await alice.getByRole('button', { name: 'Mute', exact: true }).waitFor();
      assert((await getAs(alice, '/api/users/@carol')).relationship.muting === false, 'still muting after Unmute');
    });

    await step('Bob’s blocked accounts list shows Carol, and unblocking there removes her', async () => {
      await bob.goto(`${base}/me/blocks`);
      await bob.getByRole('heading', { name: 'Blocked accounts' }).waitFor();
      await bob.getByRole('button', { name: 'Unblock @carol' }).click();
      await bob.getByText('No one here yet.').waitFor();
      assert((await getAs(bob, '/api/users/@carol')).relationship.blocking === false, 'still blocking after Unblock');
    });

    await step('a followers-only tweet offers no retweet', async () => {
      await bob.goto(`${base}/tweets/${secretId}`);
      const button = card(bob, secretId).getByTestId('retweet-button');
      assert((await button.getAttribute('aria-disabled')) === 'true', 'retweet enabled on a followers-only tweet');
      assert((await card(bob, secretId).getByRole('button', { name: /^Quote/ }).count()) === 0, 'quote offered on a followers-only tweet');
    });

    await step('@ completion suggests users and inserts the chosen one from the keyboard', async () => {
      await alice.goto(`${base}/`);
      const box = alice.getByRole('textbox', { name: /what’s happening/i });
      await box.fill('');
      await box.pressSequentially('Tea with @car');
      const list = alice.getByRole('listbox', { name: 'Mention suggestions' });
      await list.getByRole('option', { name: /@carol/ }).waitFor();
      assert((await box.getAttribute('aria-activedescendant')) === (await list.getByRole('option').first().getAttribute('id')), 'no active option');
      await shot(alice, '29-desktop-mention-suggestions');
      await box.press('Enter');
      await list.waitFor({ state: 'detached' });
      assert((await box.inputValue()) === 'Tea with @carol ', `after choosing: ${JSON.stringify(await box.inputValue())}`);
      await box.fill('');
    });

    // ------------------------------------------------------------ home timeline
    let dave;
    /** Posts as the user signed in on `page`, through the API. */
    const postAs = async (page, body) => {
      const token = await page.evaluate(() => localStorage.getItem('starling.token'));
      const r = await fetch(`${base}/api/tweets`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify(body),
      });
      assert(r.ok, `POST /api/tweets -> ${r.status}`);
      return r.json();
    };
    const firstEntry = (page) => page.locator('.tweet-list article').first().getAttribute('data-tweet-id');

    await step('a new user lands on an empty Home that explains itself and suggests accounts', async () => {
      const ctxD = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      dave = await ctxD.newPage();
      dave.on('pageerror', (e) => pageErrors.push(`dave: ${e.message}`));
      dave.setDefaultTimeout(TIMEOUT);
      await signUp(dave, base, 'dave', 'Dave');
      assert(new URL(dave.url()).pathname === '/home', `landed on ${dave.url()}`);
      await dave.getByRole('heading', { name: 'Your home timeline is empty' }).waitFor();
      const suggestions = dave.getByRole('region', { name: 'Who to follow' });
      await suggestions.getByRole('button', { name: 'Follow @bob' }).waitFor();
      const home = await getAs(dave, '/api/timelines/home');
      checkKeys('home page', home, 'HomePageDto');
      assert(home.items.length === 0 && home.partial === false, `a new user's home: ${JSON.stringify(home)}`);
      const fromApi = await getAs(dave, '/api/users/suggestions?limit=10');
      checkKeys('suggestions', fromApi, 'Suggestions');
      checkKeys('suggested profile', fromApi.items[0], 'ProfileDto');
      const listed = await suggestions.locator('.user-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-user-id')));
      assert(isDeepStrictEqual(listed, fromApi.items.map((p) => p.id)), `suggested ${JSON.stringify(listed)}, the API ${JSON.stringify(fromApi.items.map((p) => p.username))}`);
      assert(fromApi.items.every((p) => p.username !== 'dave'), 'dave is suggested to himself');
      await shot(dave, '30-desktop-home-empty-suggestions');
    });

    await step('following a suggestion brings that account’s recent tweets into Home', async () => {
      await dave.getByRole('region', { name: 'Who to follow' }).getByRole('button', { name: 'Follow @bob' }).click();
      // Delivered asynchronously after the follow; the page reads home again by itself.
      await dave.locator('.tweet-list article', { hasText: 'Worth reading' }).waitFor();
      const rel = (await getAs(dave, '/api/users/@bob')).relationship;
      assert(rel.following === true, `relationship after following: ${JSON.stringify(rel)}`);
      await dave.locator('.live-dot.live-open').waitFor(); // the socket (and its home stream) is up
      await shot(dave, '31-desktop-home-after-follow');
    });

    let bobsNew;
    await step('Bob posts a followers-only tweet: on his Home at once; Dave’s Home announces it live and shows it on top when asked', async () => {
      const text = 'Only my followers read this, says Bob';
      await bob.goto(`${base}/home`);
      await bob.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
      await bob.getByRole('textbox', { name: /what’s happening/i }).fill(text);
      await bob.getByRole('combobox', { name: 'Visibility' }).selectOption('followers');
      await bob.getByRole('button', { name: 'Post' }).click();
      const own = bob.locator('.tweet-list article:not([data-tweet-id^="pending:"])', { hasText: text });
      await own.waitFor();
      bobsNew = await own.getAttribute('data-tweet-id');
      assert((await firstEntry(bob)) === bobsNew, 'bob’s own tweet is not on top of his home');
      await shot(bob, '35-phone-home-own-tweet');

      const banner = dave.getByRole('button', { name: 'Show 1 new tweet' });
      await banner.waitFor();
      assert((await card(dave, bobsNew).count()) === 0, 'the new tweet moved dave’s list before he asked for it');
      await shot(dave, '32-desktop-home-new-tweets-banner');
      await banner.click();
      await card(dave, bobsNew).getByText(text).waitFor();
      assert((await firstEntry(dave)) === bobsNew, 'the announced tweet is not on top');
      await banner.waitFor({ state: 'detached' });
      // Followers-only: the public stream never carries it, so the home stream did.
      const t = await getAs(dave, `/api/tweets/${bobsNew}`);
      assert(t.visibility === 'followers', `visibility ${t.visibility}`);
      await shot(dave, '33-desktop-home-new-tweet-shown');
    });

    await step('what arrives while Dave reads another page waits for him: the Home link counts it', async () => {
      await navLink(dave, 'Latest').click();
      await dave.getByRole('heading', { name: 'Latest', level: 1 }).waitFor();
      const posted = await postAs(bob, { content: 'Bob again, for everyone' });
      await navLink(dave, 'Home, 1 new').waitFor();
      await shot(dave, '34-desktop-home-count-in-nav');
      await navLink(dave, 'Home, 1 new').click(); // in the app: what was collected is still there
      await dave.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
      await dave.getByRole('button', { name: 'Show 1 new tweet' }).click();
      await card(dave, posted.id).waitFor();
      assert((await firstEntry(dave)) === posted.id, 'the tweet that came meanwhile is not on top');
      assert((await card(dave, bobsNew).count()) === 1, 'the earlier entry left the list');
      await navLink(dave, 'Latest').click();
      await dave.getByRole('heading', { name: 'Latest', level: 1 }).waitFor();
      await navLink(dave, 'Home').waitFor(); // nothing waits any more
    });

    await step('a draft Bob published later tops Dave’s Home and Latest, above what Bob posted after writing it', async () => {
      const draft = await postAs(bob, { content: 'Written as a draft, published later', draft: true });
      const after = await postAs(bob, { content: 'Posted after the draft was written' });
      // Delivered to Dave's stored timeline asynchronously: wait for it, so the page reads it.
      for (let i = 0; ; i++) {
        const home = await getAs(dave, '/api/timelines/home?limit=1');
        if (home.items[0]?.id === after.id) break;
        assert(i < 100, 'the tweet never reached Dave’s home');
        await new Promise((r) => setTimeout(r, 100));
      }
      await dave.goto(`${base}/home`);
      await dave.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
      await card(dave, after.id).waitFor();
      await dave.locator('.live-dot.live-open').waitFor();

      await bob.goto(`${base}/me/tweets?state=draft`);
      const own = card(bob, draft.id);
      await own.getByRole('button', { name: 'Publish' }).click();
      await own.getByRole('alertdialog').getByRole('button', { name: 'Publish' }).click();
      await own.waitFor({ state: 'detached' }); // no longer a draft

      const banner = dave.getByRole('button', { name: 'Show 1 new tweet' });
      await banner.click();
      await card(dave, draft.id).waitFor();
      assert((await firstEntry(dave)) === draft.id, 'the published draft is not on top of Home');
      const published = await getAs(dave, `/api/tweets/${draft.id}`);
      assert(published.createdAt > after.createdAt, `createdAt ${published.createdAt} is not its publication's`);
      await shot(dave, '35b-desktop-home-published-draft-on-top');
      await dave.reload();
      await card(dave, draft.id).waitFor();
      assert((await firstEntry(dave)) === draft.id, 'a fresh read of Home does not put the published draft on top');
      await navLink(dave, 'Latest').click();
      await dave.getByRole('heading', { name: 'Latest', level: 1 }).waitFor();
      await card(dave, draft.id).waitFor();
      assert((await firstEntry(dave)) === draft.id, 'the published draft is not on top of Latest');
    });

    // ------------------------------------------------------------ notifications
    const bell = (page) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Notifications(, \d+ unread)?$/ });
    const notificationItem = (page, type, text) => page.locator(`li.notification[data-type="${type}"]`, { hasText: text });

    await step('Alice’s Notifications link counts her unread notifications; the page tells them as sentences and reads them all', async () => {
      await alice.goto(`${base}/home`);
      const count = await getAs(alice, '/api/notifications/unread-count');
      checkKeys('unread count', count, 'UnreadCount');
      assert(count.count > 0, `alice has ${count.count} unread notifications`);
      await navLink(alice, `Notifications, ${count.count} unread`).waitFor();
      const grouped = await getAs(alice, '/api/notifications');
      checkKeys('notification page', grouped, 'NotificationPageDto');
      checkKeys('notification group', grouped.items[0], 'NotificationGroupDto');
      checkKeys('notification actor', grouped.items[0].actors[0], 'UserDto');
      const single = await getAs(alice, '/api/notifications?grouped=false');
      checkKeys('notification', single.items[0], 'NotificationDto');

      await navLink(alice, `Notifications, ${count.count} unread`).click();
      await alice.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
      // Bob's reply to her public note, and his like of her first tweet.
      const reply = notificationItem(alice, 'reply', 'Agreed, Alice');
      await reply.waitFor();
      assert((await reply.locator('.notification-text').textContent()) === 'Bob replied:', `reply: ${await reply.textContent()}`);
      assert((await reply.getByText('New', { exact: true }).count()) === 1, 'an unread reply is not marked New');
      await notificationItem(alice, 'like', 'Bob liked your tweet').waitFor();
      await shot(alice, '36-desktop-notifications');
      // Shown, so read: the badge goes back to 0, and so does the server's count.
      await navLink(alice, 'Notifications').waitFor();
      const after = await getAs(alice, '/api/notifications/unread-count');
      assert(after.count === 0, `unread after opening the page: ${after.count}`);
      await navLink(alice, 'Home').click();
      await alice.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    });

    await step('Bob replies to Alice; she likes his reply from her notification; Bob’s badge counts 1 live, and his Notifications page says so and reads it', async () => {
      // Bob starts from nothing unread.
      await bob.goto(`${base}/notifications`);
      await bob.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
      await bob.locator('li.notification').first().waitFor();
      await navLink(bob, 'Notifications').waitFor();

      await bob.goto(`${base}/tweets/${sharedId}`);
      await bob.getByRole('textbox', { name: 'Post your reply' }).fill('Thanks for the note, Alice');
      await bob.getByRole('button', { name: 'Reply', exact: true }).click();
      const reply = bob.locator('.thread-reply article', { hasText: 'Thanks for the note, Alice' });
      await reply.waitFor();
      const replyId = await reply.getAttribute('data-tweet-id');
      await bob.locator('.live-dot.live-open').waitFor();
      // From here on the page is not loaded again: what changes comes over the WebSocket.
      await bob.evaluate(() => {
        window.__e2eSamePage = true;
      });

      // Alice hears of the reply live, and opens it from her notifications.
      await navLink(alice, 'Notifications, 1 unread').waitFor();
      await navLink(alice, 'Notifications, 1 unread').click();
      const heard = notificationItem(alice, 'reply', 'Thanks for the note, Alice');
      await heard.waitFor();
      assert((await alice.locator('li.notification').first().getAttribute('data-type')) === 'reply', 'the new reply is not on top');
      await heard.getByRole('link', { name: 'Thanks for the note, Alice' }).click();
      await alice.waitForURL(`${base}/tweets/${replyId}`);
      await card(alice, replyId).getByTestId('like-button').click();
      await alice.waitForFunction((id) => {
        const b = document.querySelector(`article[data-tweet-id="${id}"] [data-testid="like-button"]`);
        return b?.getAttribute('aria-pressed') === 'true' && b.getAttribute('aria-busy') === null;
      }, replyId);

      await navLink(bob, 'Notifications, 1 unread').waitFor();
      assert(await bob.evaluate(() => window.__e2eSamePage === true), 'bob’s page was loaded again');
      await shot(bob, '37-phone-notifications-badge');
      await navLink(bob, 'Notifications, 1 unread').click();
      await bob.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
      const liked = bob.locator('li.notification').first();
      await liked.locator('.notification-text', { hasText: 'Alice Liddell liked your reply' }).waitFor();
      assert((await liked.getAttribute('data-type')) === 'like', `first notification: ${await liked.textContent()}`);
      assert((await liked.getByText('New', { exact: true }).count()) === 1, 'the new like is not marked New');
      assert((await liked.textContent())?.includes('Thanks for the note, Alice'), 'the liked reply is not shown');
      assert((await liked.getByRole('link', { name: 'your reply' }).getAttribute('href')) === `/tweets/${replyId}`, 'no link to the liked reply');
      await navLink(bob, 'Notifications').waitFor();
      assert(await bob.evaluate(() => window.__e2eSamePage === true), 'bob’s page was loaded again');
      assert((await getAs(bob, '/api/notifications/unread-count')).count === 0, 'bob’s notifications are not read');
      assert((await bell(bob).count()) === 1, 'the Notifications link is not in the navigation');
      await shot(bob, '38-phone-notifications');
    });

    await step('a silent stream is noticed by its heartbeat; the page reconnects and catches up (edit shown, deletion gone, new tweet behind the banner); offline is said in words', async () => {
      await liveScenario(ctxB, { baseUrl: base, author: alice });
    });

    await step('Alice posts a photo with GPS data and a short video: the served photo has no metadata, the video plays', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'starling-e2e-media-'));
      const ffmpeg = (...args) => execFileSync('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args]);
      const exif = (file) => JSON.parse(execFileSync('exiftool', ['-j', '-G', '-a', file]).toString())[0];
      const jpeg = join(dir, 'photo.jpg');
      const mp4 = join(dir, 'clip.mp4');
      ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=1280x960', '-frames:v', '1', jpeg);
      execFileSync('exiftool', ['-q', '-overwrite_original', '-GPSLatitude=51.5007', '-GPSLatitudeRef=N',
        '-GPSLongitude=0.1246', '-GPSLongitudeRef=W', '-Make=StarlingCam', jpeg]);
      assert(Object.keys(exif(jpeg)).some((k) => k.includes('GPSLatitude')), 'the test photo has no GPS data');
      ffmpeg('-f', 'lavfi', '-i', 'testsrc=duration=2:size=640x360:rate=25', '-f', 'lavfi', '-i', 'sine=duration=2',
        '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', mp4);
      const { imageBytes, imageTweetId } = await mediaScenario(alice, { baseUrl: base, files: { jpeg, mp4 } });
      const served = join(dir, 'served.jpg');
      writeFileSync(served, imageBytes);
      const tags = Object.keys(exif(served));
      const left = tags.filter((k) => !/^(SourceFile|ExifTool|File|JFIF|Composite):/.test(k) && k !== 'SourceFile');
      assert(left.length === 0, `metadata left in the served photo: ${left.join(', ')}`);
      assert(!tags.some((k) => k.includes('GPS')), 'GPS data left in the served photo');
      await card(alice, imageTweetId).scrollIntoViewIfNeeded();
      await shot(alice, '39-desktop-media');
      rmSync(dir, { recursive: true, force: true });
    });

    await step('keyboard: j/k move between tweets, ? lists the shortcuts, n writes, focus follows navigation and actions, the theme setting applies', async () => {
      const p = alice;
      const active = () => p.evaluate(() => {
        const a = document.activeElement;
        return { tag: a?.tagName, id: a?.getAttribute('data-tweet-id'), text: a?.textContent?.slice(0, 40), cls: a?.className };
      });
      await p.goto(`${base}/home`);
      await p.locator('.tweet-list article').first().waitFor();
      const ids = await p.locator('.tweet-list article').evaluateAll((as) => as.map((a) => a.getAttribute('data-tweet-id')));
      assert(ids.length >= 3, `home lists ${ids.length} tweets`);
      await p.locator('body').press('j');
      assert((await active()).id === ids[0], `j from nowhere: ${JSON.stringify(await active())}`);
      await p.keyboard.press('j');
      assert((await active()).id === ids[1], `j: ${JSON.stringify(await active())}`);
      await p.keyboard.press('k');
      assert((await active()).id === ids[0], `k: ${JSON.stringify(await active())}`);
      // ? opens the list on Close; Escape closes it and gives focus back.
      await p.keyboard.press('?');
      const dialog = p.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await dialog.waitFor();
      assert((await active()).text === 'Close', `focus in the dialog: ${JSON.stringify(await active())}`);
      await p.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert((await active()).id === ids[0], `focus after the dialog: ${JSON.stringify(await active())}`);
      // n: the compose box; typing there is never a shortcut.
      await p.keyboard.press('n');
      const box = p.getByRole('textbox', { name: /what’s happening/i });
      assert(await box.evaluate((b) => b === document.activeElement), 'n did not focus the compose box');
      await p.keyboard.type('jk?');
      assert((await box.inputValue()) === 'jk?', `typed: ${await box.inputValue()}`);
      assert((await dialog.count()) === 0, 'a shortcut fired while typing');
      await box.fill('');
      // Skip past the list: shown when focused, lands on the list's end.
      const skip = p.locator('.tweet-list .skip-list');
      await skip.focus();
      assert(await skip.isVisible(), 'the skip link is not shown when focused');
      await p.keyboard.press('Enter');
      assert((await active()).cls?.includes('list-end'), `after skipping: ${JSON.stringify(await active())}`);
      // A destructive confirmation focuses Cancel; Escape gives focus back to what opened it.
      const mineId = await p.locator('.tweet-list article', { has: p.getByRole('button', { name: 'Delete' }) }).first().getAttribute('data-tweet-id');
      const mine = card(p, mineId);
      await mine.getByRole('button', { name: 'Delete' }).click();
      await mine.getByRole('alertdialog').waitFor();
      assert((await active()).text === 'Cancel', `focus in the confirmation: ${JSON.stringify(await active())}`);
      await p.keyboard.press('Escape');
      assert((await active()).text === 'Delete', `focus after cancelling: ${JSON.stringify(await active())}`);
      // Edit, then cancel: focus is back on Edit.
      await mine.getByRole('button', { name: 'Edit' }).click();
      await mine.getByRole('button', { name: 'Cancel' }).click();
      assert((await active()).text === 'Edit', `focus after cancelling an edit: ${JSON.stringify(await active())}`);
      // A navigation puts focus on the new page's heading.
      await navLink(p, 'Latest').click();
      await p.getByRole('heading', { name: 'Latest', level: 1 }).waitFor();
      await p.waitForFunction(() => document.activeElement?.tagName === 'H1');
      // The theme: Dark applies at once and survives a reload; System follows the system again.
      await navLink(p, 'Settings').click();
      await p.getByRole('radio', { name: 'Dark' }).check();
      const bg = () => p.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert((await p.evaluate(() => document.documentElement.dataset.theme)) === 'dark', 'no data-theme after choosing Dark');
      assert((await bg()) === 'rgb(0, 0, 0)', `background in dark: ${await bg()}`);
      await p.reload();
      await p.getByRole('radio', { name: 'Dark' }).waitFor();
      assert(await p.getByRole('radio', { name: 'Dark' }).isChecked(), 'Dark not kept after a reload');
      assert((await bg()) === 'rgb(0, 0, 0)', `background after a reload: ${await bg()}`);
      await shot(p, '40-desktop-settings-dark');
      await p.getByRole('radio', { name: 'System' }).check();
      assert((await p.evaluate(() => document.documentElement.dataset.theme)) === undefined, 'data-theme kept for System');
      assert((await bg()) === 'rgb(255, 255, 255)', `background for System (light): ${await bg()}`);
    });

    await step('axe-core finds no serious or critical problem on any screen, light and dark, desktop and phone', async () => {
      const screens = [
        { name: 'home', path: '/home', ready: '.tweet-list article' },
        { name: 'latest', path: '/latest', ready: '.tweet-list article' },
        { name: 'hashtag', path: '/latest?hashtag=starling', ready: '.tweet-list article' },
        { name: 'thread', path: `/tweets/${sharedId}`, ready: '.thread-reply article' },
        { name: 'history', path: `/tweets/${tweetId}/history`, ready: 'li.version' },
        {
          name: 'editing',
          path: `/tweets/${tweetId}`,
          ready: `article[data-tweet-id="${tweetId}"]`,
          devices: ['desktop'],
          open: (p) => card(p, tweetId).getByRole('button', { name: 'Edit' }).click(),
        },
        {
          name: 'confirm-delete',
          path: `/tweets/${tweetId}`,
          ready: `article[data-tweet-id="${tweetId}"]`,
          devices: ['desktop'],
          open: async (p) => {
            await card(p, tweetId).getByRole('button', { name: 'Delete' }).click();
            await p.getByRole('alertdialog').waitFor();
          },
        },
        { name: 'profile', path: '/u/alice', ready: '.tweet-list article' },
        { name: 'followers', path: '/u/alice/followers', ready: '.user-row' },
        { name: 'my-drafts', path: '/me/tweets?state=draft', ready: '.tweet-list' },
        { name: 'my-archive', path: '/me/tweets?state=archived', ready: '.tweet-list' },
        { name: 'notifications', path: '/notifications', ready: 'li.notification' },
        { name: 'settings', path: '/settings', ready: '.settings-form' },
        { name: 'requests', path: '/requests' },
        {
          name: 'dashboard',
          path: '/dashboard',
          ready: 'figure.chart',
          open: (p) => p.waitForFunction(() => [...document.querySelectorAll('figure.chart')].every((c) => Number(c.getAttribute('data-samples')) >= 2)),
        },
        {
          name: 'lightbox',
          path: '/u/alice',
          ready: 'button.media-open',
          open: async (p) => {
            await p.locator('button.media-open').first().click();
            await p.getByRole('dialog').waitFor();
          },
        },
        {
          name: 'shortcuts',
          path: '/home',
          ready: '.tweet-list article',
          open: async (p) => {
            await p.locator('body').press('?');
            await p.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
          },
        },
      ];
      const anonDesktop = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      const anonPhone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })).newPage();
      const signedOut = [
        { name: 'signin', path: '/login' },
        { name: 'signup', path: '/signup' },
        { name: 'latest-signed-out', path: '/latest', ready: '.tweet-list article' },
      ];
      const findings = [
        ...(await auditScreens({ base, artifacts, screens, devices: [{ device: 'desktop', page: alice }, { device: 'phone', page: bob }] })),
        ...(await auditScreens({ base, artifacts, screens: signedOut, report: 'a11y-report-signed-out', devices: [{ device: 'desktop', page: anonDesktop }, { device: 'phone', page: anonPhone }] })),
      ];
      await anonDesktop.context().close();
      await anonPhone.context().close();
      console.log(`    axe: ${JSON.stringify(countByRule(findings))}`);
      assert(findings.length === 0, `axe found ${findings.length} serious or critical problems:\n${describeFindings(findings)}`);
    });

    await step('a tweet on screen for a second is counted as a view, once', async () => {
      const t = await (await fetch(`${base}/api/tweets?limit=1`)).json();
      const id = t.items[0].id;
      const views = async () => (await (await fetch(`${base}/api/tweets/${id}`)).json()).engagement.views;
      const before = await views();
      await dave.goto(`${base}/tweets/${id}`);
      await card(dave, id).waitFor();
      // Seen for a second, then sent with the next batch (every 5 s).
      const deadline = Date.now() + TIMEOUT;
      while ((await views()) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      assert((await views()) === before + 1, `views ${before} → ${await views()}`);
      // Shown again in this tab session: not counted again.
      await dave.reload();
      await card(dave, id).waitFor();
      await new Promise((r) => setTimeout(r, 7_000));
      assert((await views()) === before + 1, `counted again: ${await views()}`);
    });

    await step('Back returns to where the list was left; a new page starts at the top', async () => {
      await alice.goto(`${base}/latest`);
      await alice.locator('article[data-tweet-id]').first().waitFor();
      const room = await alice.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
      assert(room > 400, `the list is too short to scroll (${room} px)`);
      const at = Math.min(800, room - 50);
      await alice.evaluate((y) => window.scrollTo(0, y), at);
      await alice.waitForFunction((y) => Math.abs(window.scrollY - y) < 2, at);
      // A tweet in view: its page opens at the top.
      const id = await alice.evaluate(() => {
        const seen = [...document.querySelectorAll('article[data-tweet-id]')].find((a) => a.getBoundingClientRect().top > 80);
        return seen?.getAttribute('data-tweet-id');
      });
      assert(id, 'no tweet in view');
      await alice.locator(`article[data-tweet-id="${id}"] a.time-link`).first().click();
      await alice.waitForURL(/\/tweets\/\d+$/);
      await alice.waitForFunction(() => window.scrollY === 0);
      await alice.goBack();
      await alice.waitForURL(/\/latest$/);
      await alice.waitForFunction((y) => Math.abs(window.scrollY - y) < 2, at, { timeout: TIMEOUT });
    });

    await step('a long list stays bounded: 320 tweets scrolled through keep at most 300 on the page, and the top comes back going up, with what was posted meanwhile and nothing skipped', async () => {
      // Posted by Dave (nobody reads his lists in later steps), newest last.
      let newest;
      for (let i = 0; i < 320; i++) newest = await postAs(dave, { content: `Long list ${i}` });
      await dave.goto(`${base}/latest?author=dave`);
      await card(dave, newest.id).waitFor();
      const end = dave.getByText('You’re all caught up.');
      for (let i = 0; !(await end.isVisible()); i++) {
        assert(i < 200, 'the end of the list was never reached');
        await dave.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
        await dave.waitForTimeout(150);
      }
      const held = await dave.locator('.tweet-list article').count();
      assert(held <= 300, `${held} tweets on the page after scrolling 320`);
      assert((await card(dave, newest.id).count()) === 0, 'the top page was not dropped');
      await dave.getByText('Long list 0', { exact: true }).waitFor();
      await shot(dave, '46-desktop-long-list-bottom');
      // 30 more while Dave is far down (his own, from elsewhere: the stream leaves them to the list): the top
      // read again holds them, and must not push out of sight the 20 it first held.
      for (let i = 320; i < 350; i++) newest = await postAs(dave, { content: `Long list ${i}` });
      for (let i = 0; (await card(dave, newest.id).count()) === 0; i++) {
        assert(i < 200, 'the top of the list never came back');
        await dave.evaluate(() => window.scrollTo(0, 0));
        await dave.waitForTimeout(150);
      }
      await dave.getByRole('button', { name: 'Load newer' }).waitFor({ state: 'detached' });
      assert((await firstEntry(dave)) === newest.id, 'the newest tweet is not first again');
      assert((await dave.locator('.tweet-list article').count()) <= 300, 'going up kept more than 300');
      const numbers = (await dave.locator('.tweet-list article .tweet-text').allTextContents()).map((t) => Number(t.replace('Long list ', '')));
      const expected = Array.from({ length: numbers.length }, (_, i) => 349 - i);
      const skipped = expected.filter((n) => !numbers.includes(n));
      assert(skipped.length === 0 && numbers.join() === expected.join(), `going up skipped ${skipped.length} tweets (${skipped.slice(0, 5).join(', ')}…)`);
    });

    await step('a cold load of Home, Latest, a profile or a tweet takes its first answers from the early reads (boot.ts), each read once', async () => {
      // The app's own script is held back a second: what is asked for meanwhile was asked by boot.ts.
      const held = async (route) => {
        await new Promise((r) => setTimeout(r, 1_000));
        await route.continue();
      };
      await alice.route('**/assets/index-*.js', held);
      try {
        const pages = [
          ['/home', ['/api/me', '/api/timelines/home']],
          ['/latest', ['/api/tweets']],
          ['/u/bob', ['/api/users/@bob', '/api/users/@bob/tweets']],
          [`/tweets/${sharedId}`, [`/api/tweets/${sharedId}`, `/api/tweets/${sharedId}/thread`]],
        ];
        for (const [path, reads] of pages) {
          const seen = [];
          let appFrom = Infinity;
          const on = (req) => {
            const url = new URL(req.url());
            if (/\/assets\/index-[^/]*\.js$/.test(url.pathname)) appFrom = Math.min(appFrom, Date.now() + 1_000);
            if (req.method() === 'GET' && url.pathname.startsWith('/api/')) seen.push({ path: url.pathname, at: Date.now() });
          };
          alice.on('request', on);
          await alice.goto(`${base}${path}`);
          await alice.locator('article[data-tweet-id]').first().waitFor();
          if (path.startsWith('/tweets/')) await alice.locator('.thread-reply article').first().waitFor();
          await alice.waitForTimeout(500);
          alice.off('request', on);
          for (const read of reads) {
            const asked = seen.filter((r) => r.path === read);
            const all = seen.map((r) => r.path).join(', ');
            assert(asked.length === 1, `${path}: ${read} was asked ${asked.length} times (${all})`);
            assert(asked[0].at < appFrom, `${path}: ${read} was asked by the app, not early (${all})`);
          }
        }
      } finally {
        await alice.unroute('**/assets/index-*.js', held);
      }
    });

    await step('a reader who chose Dark gets a dark skeleton before any of the app’s scripts has arrived, on a light system', async () => {
      const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, colorScheme: 'light' });
      let release = () => {};
      try {
        await ctx.addInitScript(() => localStorage.setItem('starling.theme', 'dark'));
        const page = await ctx.newPage();
        watchErrors(page, 'dark reader');
        // Every script file held back until the skeleton has been looked at.
        const released = new Promise((r) => (release = r));
        await page.route('**/assets/*.js', async (route) => {
          await released;
          await route.continue();
        });
        await page.goto(`${base}/latest`, { waitUntil: 'commit' });
        await page.locator('.app-skeleton').waitFor();
        await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor !== 'rgba(0, 0, 0, 0)');
        const shell = await page.evaluate(() => ({
          theme: document.documentElement.dataset.theme ?? null,
          background: getComputedStyle(document.body).backgroundColor,
          booted: window.__starlingEarly !== undefined,
        }));
        assert(!shell.booted, 'a script ran although all were held back');
        assert(shell.theme === 'dark' && shell.background === 'rgb(0, 0, 0)', `the skeleton is drawn ${JSON.stringify(shell)}`);
        release();
        await page.locator('article[data-tweet-id]').first().waitFor();
        const app = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        assert(app === 'rgb(0, 0, 0)', `the app is drawn on ${app}`);
      } finally {
        release();
        await ctx.close();
      }
    });

    await step('no uncaught errors in the pages', async () => {
      assert(pageErrors.length === 0, pageErrors.join('\n'));
    });
  } catch (e) {
    results.push({ name: 'runner', ok: false });
    console.log(`  ✘ runner: ${e?.stack ?? e}`);
  } finally {
    await browser?.close().catch(() => {});
    if (results.some((r) => !r.ok) && server) {
      console.log(`--- server output ---\n${server.log().slice(-4000)}\n---`);
    }
    await stopServer(server);
  }
}

// Interrupted (Ctrl-C, CI timeout): the server must not outlive the test.
let current = null;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    current?.child.kill('SIGKILL');
    if (current && !process.env.E2E_KEEP_DATA) rmSync(current.dataDir, { recursive: true, force: true });
    console.log(`interrupted by ${sig}\n0 passed, 1 failed`);
    process.exit(1);
  });
}

await main();
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
