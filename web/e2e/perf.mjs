// The web app on a throttled phone, measured in Chromium (issue 13, "Measured, not
// asserted"): a real server, a phone viewport, the CPU slowed 4× and a "Fast 3G"-like
// network through the DevTools protocol, the cache cold. It records
//   - first contentful paint, largest contentful paint and cumulative layout shift of a
//     cold load of the Latest timeline, of Home (the signed-in reader follows the writer), of
//     the writer's profile and of a tweet's page;
//   - for a reader who chose Dark on a light system, how long before the first paint the
//     theme was on <html> (negative: the skeleton was first painted light);
//   - long tasks (> 50 ms) and frame times while scrolling through 200 tweets;
//   - long tasks during a burst of 200 live engagement events (one like on each of 200
//     shown tweets, sent as fast as the server takes them).
// The figures are printed, written to web/e2e-artifacts/perf.json and compared with the
// targets (FCP ≤ 1.8 s, LCP ≤ 2.5 s, CLS ≤ 0.1, no long task over 200 ms), which are
// reported, not asserted: timings on a shared machine are not a pass/fail test. The
// script fails only when it cannot measure.
//
//   npm run build && STARLING_BIN=../target/release/starling node e2e/perf.mjs
//
// Env: STARLING_BIN, CHROMIUM_PATH, E2E_DIST as for run.mjs; PERF_RUNS (cold loads, default 3:
// the median is reported).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { artifacts, chromiumPath, startServer, stopServer } from './server.mjs';

const RUNS = Number(process.env.PERF_RUNS || 3);
const TWEETS = 200;
const PASSWORD = 'correct horse battery staple';

/** Chrome DevTools' "Fast 3G" preset: 562.5 ms round trip, ~1.44 Mbit/s down, ~675 kbit/s up. */
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8, uploadThroughput: (750 * 1024 * 0.9) / 8 };
const CPU_SLOWDOWN = 4;
const TARGETS = { fcpMs: 1800, lcpMs: 2500, cls: 0.1, longTaskMs: 200 };

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function call(base, method, path, token, body) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? null : r.json();
}

async function register(base, username) {
  const r = await call(base, 'POST', '/api/auth/register', null, { username, password: PASSWORD, displayName: username });
  return r.token;
}

/** Tweets of the sort people write: text, a hashtag, a mention, a link, an emoji. */
function content(i) {
  const kinds = [
    `Morning walk number ${i} by the river, the light was lovely today #photography`,
    `Reading about fan-out on write vs read-time merge (${i}) https://example.com/articles/${i} @reader`,
    `Tweet ${i}: coffee first, then code 😀 #starling`,
    `A longer thought, number ${i}: timelines are lists of ids, and most of the work is deciding what a person may see. The rest is caching.`,
  ];
  return kinds[i % kinds.length];
}

// Runs in the page before its scripts: observers for paints, shifts and long tasks.
function observe() {
  const perf = { fcp: null, lcp: null, cls: 0, longTasks: [] };
  window.__perf = perf;
  const on = (type, fn) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(fn)).observe({ type, buffered: true });
    } catch {
      // not supported
    }
  };
  on('paint', (e) => {
    if (e.name === 'first-contentful-paint') perf.fcp = e.startTime;
    if (e.name === 'first-paint') perf.firstPaint = e.startTime;
  });
  // When the reader's chosen theme reached <html> (index.html's inline script), against the first paint.
  perf.themeAt = null;
  new MutationObserver(() => {
    if (perf.themeAt === null && document.documentElement?.dataset.theme) perf.themeAt = performance.now();
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-theme'] });
  on('largest-contentful-paint', (e) => (perf.lcp = e.startTime));
  perf.shifts = [];
  on('layout-shift', (e) => {
    if (e.hadRecentInput) return;
    perf.cls += e.value;
    // What moved, for the report: a shift is fixed where it happens.
    const what = (e.sources || []).map((s) => (s.node ? `${s.node.nodeName.toLowerCase()}${s.node.className ? `.${String(s.node.className).split(' ').join('.')}` : ''}` : '?'));
    perf.shifts.push({ at: Math.round(e.startTime), value: Number(e.value.toFixed(3)), what });
  });
  on('longtask', (e) => perf.longTasks.push({ start: e.startTime, duration: e.duration }));
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function percentile(xs, p) {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

function longTasksIn(tasks, from, to) {
  const within = tasks.filter((t) => t.start >= from && t.start <= to);
  return {
    count: within.length,
    totalMs: Math.round(within.reduce((a, t) => a + t.duration, 0)),
    maxMs: Math.round(within.reduce((a, t) => Math.max(a, t.duration), 0)),
  };
}

async function throttledPage(browser, token, { theme } = {}) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, colorScheme: 'light' });
  await context.addInitScript((t) => localStorage.setItem('starling.token', t), token);
  if (theme) await context.addInitScript((t) => localStorage.setItem('starling.theme', t), theme);
  await context.addInitScript(observe);
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', FAST_3G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return { context, page };
}

async function main() {
  mkdirSync(artifacts, { recursive: true });
  let server;
  let browser;
  try {
    server = await startServer();
    const base = server.base;
    const writer = await register(base, 'writer');
    const reader = await register(base, 'reader');
    await call(base, 'POST', '/api/users/@writer/follow', reader);
    const fans = [];
    for (let i = 0; i < 10; i++) fans.push(await register(base, `fan${i}`));
    const ids = [];
    for (let i = 0; i < TWEETS; i++) ids.push((await call(base, 'POST', '/api/tweets', writer, { content: content(i) })).id);

    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });

    // Cold loads of Latest, Home, a profile and a tweet's page.
    const coldLoads = async (path) => {
      const runs = [];
      for (let run = 0; run < RUNS; run++) {
        const { context, page } = await throttledPage(browser, reader);
        await page.goto(`${base}${path}`);
        await page.locator('article[data-tweet-id]').first().waitFor();
        // LCP is final once the page stops painting larger things; give it a moment.
        await page.waitForTimeout(3_000);
        const p = await page.evaluate(() => window.__perf);
        runs.push({ fcpMs: Math.round(p.fcp), lcpMs: Math.round(p.lcp), cls: Number(p.cls.toFixed(3)), shifts: p.shifts, longTasks: longTasksIn(p.longTasks, 0, Infinity) });
        if (run === RUNS - 1) await page.screenshot({ path: join(artifacts, `perf-cold-load${path.replaceAll('/', '-')}-phone.png`) });
        await context.close();
      }
      return {
        fcpMs: median(runs.map((l) => l.fcpMs)),
        lcpMs: median(runs.map((l) => l.lcpMs)),
        cls: median(runs.map((l) => l.cls)),
        runs,
      };
    };
    const loads = {
      Latest: await coldLoads('/latest'),
      Home: await coldLoads('/home'),
      Profile: await coldLoads('/u/writer'),
      Tweet: await coldLoads(`/tweets/${ids[ids.length - 1]}`),
    };

    // A reader who chose Dark on a light system: is the theme on <html> before the first paint?
    const themeLoads = [];
    for (let run = 0; run < Math.max(RUNS, 3); run++) {
      const { context, page } = await throttledPage(browser, reader, { theme: 'dark' });
      await page.goto(`${base}/latest`);
      await page.locator('article[data-tweet-id]').first().waitFor();
      const p = await page.evaluate(() => window.__perf);
      themeLoads.push(p.themeAt === null ? null : Math.round(p.firstPaint - p.themeAt));
      await context.close();
    }
    const theme = { chosen: 'dark', system: 'light', msBeforeFirstPaint: themeLoads };

    // Scrolling through 200 tweets (infinite scroll loads the pages as the reader goes).
    const { context, page } = await throttledPage(browser, reader);
    await page.goto(`${base}/latest`);
    await page.locator('article[data-tweet-id]').first().waitFor();
    await page.waitForTimeout(2_000);
    const scroll = await page.evaluate(async (want) => {
      const frames = [];
      let last = performance.now();
      let running = true;
      const tick = (t) => {
        frames.push(t - last);
        last = t;
        if (running) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      const from = performance.now();
      const deadline = from + 180_000;
      for (;;) {
        window.scrollBy(0, 600);
        await new Promise((r) => setTimeout(r, 100));
        const seen = document.querySelectorAll('article[data-tweet-id]').length;
        const atBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 2;
        if ((seen >= want && atBottom) || performance.now() > deadline) break;
      }
      running = false;
      const to = performance.now();
      return { from, to, frames, seen: document.querySelectorAll('article[data-tweet-id]').length };
    }, TWEETS);
    const afterScroll = await page.evaluate(() => window.__perf.longTasks);
    assert(scroll.seen >= TWEETS, `only ${scroll.seen} tweets reached by scrolling`);
    const scrolling = {
      tweets: scroll.seen,
      seconds: Number(((scroll.to - scroll.from) / 1000).toFixed(1)),
      longTasks: longTasksIn(afterScroll, scroll.from, scroll.to),
      frameP95Ms: Math.round(percentile(scroll.frames, 95)),
    };

    // A burst of 200 engagement events on the tweets the page holds.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(1_000);
    const burstFrom = await page.evaluate(() => performance.now());
    const started = Date.now();
    await Promise.all(fans.map((fan, f) => (async () => {
      for (const id of ids.slice(f * 20, f * 20 + 20)) await call(base, 'POST', `/api/tweets/${id}/engagement`, fan, { action: 'like' });
    })()));
    const sentMs = Date.now() - started;
    // Wait until the page shows the last like (the stream coalesces per tweet, ≤ 4/s).
    await page.waitForFunction((n) => {
      const counts = [...document.querySelectorAll('article[data-tweet-id] [data-testid="like-count"]')].map((e) => Number(e.textContent || '0'));
      return counts.filter((c) => c >= 1).length >= n;
    }, Math.min(TWEETS, scroll.seen), { timeout: 60_000 });
    await page.waitForTimeout(1_000);
    const burstTo = await page.evaluate(() => performance.now());
    const burst = {
      events: TWEETS,
      sentMs,
      shownWithinMs: Math.round(burstTo - burstFrom - 1_000),
      longTasks: longTasksIn(await page.evaluate(() => window.__perf.longTasks), burstFrom, burstTo),
    };
    await context.close();

    const verdict = (ok) => (ok ? 'met' : 'MISSED');
    const report = {
      measuredAt: new Date().toISOString(),
      profile: { viewport: '390×844 @2x, mobile', cpuSlowdown: CPU_SLOWDOWN, network: 'Fast 3G (562.5 ms RTT, 1.44 Mbit/s down, 675 kbit/s up)', cache: 'disabled' },
      loads,
      theme,
      scrolling,
      burst,
      targets: {
        loads: Object.fromEntries(
          Object.entries(loads).map(([name, l]) => [
            name,
            { fcp: verdict(l.fcpMs <= TARGETS.fcpMs), lcp: verdict(l.lcpMs <= TARGETS.lcpMs), cls: verdict(l.cls <= TARGETS.cls) },
          ]),
        ),
        themeBeforeFirstPaint: verdict(themeLoads.every((ms) => ms !== null && ms >= 0)),
        longTasksScrolling: verdict(scrolling.longTasks.maxMs <= TARGETS.longTaskMs),
        longTasksBurst: verdict(burst.longTasks.maxMs <= TARGETS.longTaskMs),
      },
    };
    writeFileSync(join(artifacts, 'perf.json'), JSON.stringify(report, null, 2));
    console.log(`perf (throttled phone: CPU ${CPU_SLOWDOWN}×, Fast 3G, cold cache; median of ${RUNS} loads)`);
    for (const [name, l] of Object.entries(loads)) {
      const t = report.targets.loads[name];
      console.log(`  ${name}: first contentful paint   ${l.fcpMs} ms   (≤ ${TARGETS.fcpMs}: ${t.fcp}); runs ${l.runs.map((r) => r.fcpMs).join(', ')}`);
      console.log(`  ${name}: largest contentful paint ${l.lcpMs} ms   (≤ ${TARGETS.lcpMs}: ${t.lcp}); runs ${l.runs.map((r) => r.lcpMs).join(', ')}`);
      console.log(`  ${name}: cumulative layout shift  ${l.cls}       (≤ ${TARGETS.cls}: ${t.cls})`);
    }
    console.log(`  a Dark reader's theme on <html> before the first paint by ${themeLoads.join(', ')} ms (before it in every load: ${report.targets.themeBeforeFirstPaint})`);
    console.log(`  scrolling ${scrolling.tweets} tweets in ${scrolling.seconds} s: ${scrolling.longTasks.count} long tasks, ${scrolling.longTasks.totalMs} ms in all, longest ${scrolling.longTasks.maxMs} ms (≤ ${TARGETS.longTaskMs}: ${report.targets.longTasksScrolling}); frame p95 ${scrolling.frameP95Ms} ms`);
    console.log(`  burst of ${burst.events} likes (sent in ${burst.sentMs} ms, all shown within ${burst.shownWithinMs} ms): ${burst.longTasks.count} long tasks, ${burst.longTasks.totalMs} ms in all, longest ${burst.longTasks.maxMs} ms (≤ ${TARGETS.longTaskMs}: ${report.targets.longTasksBurst})`);
    console.log(`  written to ${join(artifacts, 'perf.json')}`);
  } finally {
    await browser?.close();
    await stopServer(server);
  }
}

main().catch((e) => {
  console.error(`perf: could not measure: ${e?.stack ?? e}`);
  process.exit(1);
});
