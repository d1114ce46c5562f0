// Accessibility audit for the end-to-end run: axe-core (from npm) in every screen of the app,
// light and dark, desktop and phone. Violations of impact "serious" or "critical" fail the step;
// every screen is screenshotted to e2e-artifacts/a11y-<screen>-<scheme>-<device>.png and the
// findings (all impacts) are written to e2e-artifacts/a11y-report*.json.

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(join(dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8');

const SEVERE = new Set(['serious', 'critical']);

/**
 * Runs axe in the page as it is now. The server's Content-Security-Policy forbids inline
 * scripts, so axe is not added as a script tag: `page.evaluate` runs it through DevTools,
 * which the policy does not cover.
 */
export async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: (n.failureSummary ?? '').split('\n').slice(0, 3).join(' ') })),
    }));
  });
}

/** Waits until the page has settled: its main heading (or a given selector) is there and nothing says "Loading". */
async function settle(page, ready) {
  await page.locator(ready ?? 'main h1').first().waitFor();
  await page.waitForFunction(() => !/Loading/.test(document.querySelector('main')?.textContent ?? ''), undefined, { timeout: 10_000 }).catch(() => {});
  // Fonts, layout and the last paint before the colours are measured.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/**
 * Audits `screens` (each `{ name, path, ready?, open?(page) }`) on every `{ device, page }` in both
 * colour schemes. Returns the severe findings, one entry per screen, scheme, device and rule.
 */
export async function auditScreens({ base, artifacts, devices, screens, report = 'a11y-report', shotName = (s, scheme, device) => `a11y-${s}-${scheme}-${device}` }) {
  const findings = [];
  const all = [];
  for (const { device, page, only } of devices) {
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const screen of screens) {
        if (only && !only.includes(screen.name)) continue;
        if (screen.devices && !screen.devices.includes(device)) continue;
        if (screen.path !== undefined) await page.goto(`${base}${screen.path}`);
        await settle(page, screen.ready);
        if (screen.open) await screen.open(page);
        const violations = await runAxe(page);
        await page.screenshot({ path: join(artifacts, `${shotName(screen.name, scheme, device)}.png`), fullPage: !screen.open });
        for (const v of violations) {
          const entry = { screen: screen.name, scheme, device, ...v };
          all.push(entry);
          if (SEVERE.has(v.impact)) findings.push(entry);
        }
        if (screen.close) await screen.close(page);
      }
    }
    await page.emulateMedia({ colorScheme: null });
  }
  writeFileSync(join(artifacts, `${report}.json`), JSON.stringify(all, null, 2));
  return findings;
}

/** Counts of findings per rule and impact, e.g. `color-contrast (serious): 12`. */
export function countByRule(findings) {
  const counts = {};
  for (const f of findings) counts[`${f.id} (${f.impact})`] = (counts[`${f.id} (${f.impact})`] ?? 0) + 1;
  return counts;
}

/** A readable list of findings for a failed step: rule, impact, where, and what is wrong. */
export function describeFindings(findings, maxNodes = 4) {
  return findings
    .map((f) => {
      const nodes = f.nodes.slice(0, maxNodes).map((n) => `      ${n.target} — ${n.summary}`).join('\n');
      const more = f.nodes.length > maxNodes ? `\n      … and ${f.nodes.length - maxNodes} more` : '';
      return `  ${f.id} [${f.impact}] on ${f.screen} (${f.scheme}, ${f.device}): ${f.help}\n${nodes}${more}`;
    })
    .join('\n');
}
