// Browser tests of the public pages (docs/web.md): Debian's Chromium, driven headless by
// playwright-core, against the real `jcm serve` on an ephemeral port over a fresh database
// seeded through the CLI (init, import jcm-data, an issuance to a holder with an English and a
// Japanese name, a retirement of 10 units). Every page visited is checked by axe-core (no
// serious or critical violation) and for console errors (a CSP violation is one). A failing
// test leaves a screenshot and the page's console log in ARTIFACTS_DIR.
//
// Usage: node tests/browser.test.mjs PATH_TO_JCM SOURCE_DIR ARTIFACTS_DIR
import { spawn, execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { registerAccountTests, seedRepresentatives } from './accounts.tests.mjs';
import { registerAdminTests } from './admin.tests.mjs';
import { registerCycleTests, seedCycle } from './cycle.tests.mjs';

const [JCM, SOURCE, ARTIFACTS] = process.argv.slice(2);
if (!JCM || !SOURCE || !ARTIFACTS) {
  console.error('usage: browser.test.mjs PATH_TO_JCM SOURCE_DIR ARTIFACTS_DIR');
  process.exit(2);
}
const CHROMIUM = process.env.JCM_CHROMIUM ?? '/usr/bin/chromium';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DECISION = 'MN006:2019-07-06..2020-12-31@2026-01-24';

let work, server, baseUrl, browser;
const seed = {};

function cli(...args) {
  return JSON.parse(execFileSync(JCM, [...args, '--json'], { encoding: 'utf8' }));
}

function seedDatabase(db) {
  cli('init', '--db', db, '--registries', 'JP,MN');
  cli('import', 'jcm-data', '--db', db, '--dir', join(SOURCE, 'data/jcm'));
  cli('jc', 'establish', '--db', db, '--partner', 'MN', '--secretariat', 'JC secretariat',
    '--member', 'MOEJ', '--date', '2013-03-01');
  const holder = cli('account', 'open', '--db', db, '--registry', 'MN', '--type', 'holding',
    '--holder-name', 'Browser Test Holder', '--holder-name-ja', 'ブラウザ試験保有者').account.id;
  const issued = cli('issue', '--db', db, '--registry', 'MN', '--decision', DECISION,
    '--to', `${holder}:6063`, '--authorization', 'ndc');
  const block = issued.transaction.blocks[0];
  cli('retire', '--db', db, '--from', holder, '--quantity', '10', '--beneficiary', 'Browser test');
  // A representative of the holder's account who signs in with a password and TOTP.
  const password = 'Browser-Test-Passw0rd!';
  cli('user', 'add', '--db', db, '--name', 'ar1');
  execFileSync(JCM, ['user', 'password', '--db', db, '--name', 'ar1', '--password-env', 'JCM_TEST_PW'],
    { env: { ...process.env, JCM_TEST_PW: password } });
  cli('user', 'grant', '--db', db, '--name', 'ar1', '--role', `authorised_representative:${holder}:initiate`);
  const totpSecret = cli('user', 'totp', '--db', db, '--name', 'ar1').totp.secret_base32;
  Object.assign(seed, { holder, first: block.serial_first, last: block.serial_last, password, totpSecret });
  const setPassword = (user) => {
    execFileSync(JCM, ['user', 'password', '--db', db, '--name', user, '--password-env', 'JCM_TEST_PW'],
      { env: { ...process.env, JCM_TEST_PW: password } });
  };
  seedRepresentatives(db, seed, cli, setPassword);
  seedCycle(db, seed, cli, setPassword);
}

// RFC 6238 with SHA-256 (as `jcm user totp` enrols), computed here independently of jcm.
function totp(secretBase32, offsetSteps = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secretBase32.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000) + offsetSteps));
  const mac = createHmac('sha256', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// A code `user` has not used yet: a user's time step is accepted once (INV-16) and only within
// one step of now, so after two uses in one step this waits for the next. `seed.secrets` holds
// every user's TOTP secret; `usedSteps` the last step each user signed with.
const usedSteps = {};
async function freshCode(user) {
  for (;;) {
    const now = Math.floor(Date.now() / 30000);
    const step = Math.max(now, (usedSteps[user] ?? -1) + 1);
    if (step <= now + 1) {
      usedSteps[user] = step;
      return totp(seed.secrets[user], step - now);
    }
    await new Promise((resolve) => setTimeout(resolve, 30000 - (Date.now() % 30000) + 50));
  }
}

// Starts `jcm serve` on port 0 and resolves with the URL it prints.
function startServer(db) {
  // Trusted-list entries take effect at once, so an approved transfer to one completes at once.
  const proc = spawn(JCM, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--json', '--trusted-delay', '0',
    '--web', join(SOURCE, 'web/dist'), '--access-log', join(work, 'access.log')]);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr.on('data', (chunk) => (err += chunk));
    proc.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve({ proc, url: JSON.parse(out.split('\n')[0]).listening.url });
    });
    proc.on('exit', (code) => reject(new Error(`jcm serve exited ${code}: ${err}`)));
  });
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'jcm-web-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  seedDatabase(join(work, 'registry.db'));
  server = await startServer(join(work, 'registry.db'));
  baseUrl = server.url;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  if (server) {
    server.proc.kill('SIGTERM');
    await new Promise((resolve) => server.proc.on('exit', resolve));
  }
  rmSync(work, { recursive: true, force: true });
});

// Runs `body` with a fresh page; on failure keeps a screenshot and the console log. A console
// error fails the test unless it matches `expectedErrors` (the 404 of a look-up that finds none).
async function withPage(name, body, expectedErrors = /^$/) {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
  try {
    await body(page);
    const errors = consoleLines.filter(
      (l) => (l.startsWith('error') || l.startsWith('pageerror')) && !expectedErrors.test(l));
    assert.deepEqual(errors, [], 'console errors (a CSP violation is one)');
  } catch (error) {
    const file = join(ARTIFACTS, name.replace(/\W+/g, '_'));
    await page.screenshot({ path: `${file}.png`, fullPage: true }).catch(() => {});
    writeFileSync(`${file}.console.log`, consoleLines.join('\n') + '\n');
    console.error(`kept ${file}.png and ${file}.console.log`);
    throw error;
  } finally {
    await context.close();
  }
}

// axe-core over the page as it is now: no serious or critical violation (WCAG 2.1 A/AA rules).
async function expectAccessible(page, where) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(bad, [], `axe violations on ${where}`);
}

async function heading(page) {
  return (await page.locator('main h1').first().textContent()).trim();
}

// Test 1 of issue 10 in one language: the project list → a project → the credit look-up.
async function browsePublic(page, text) {
  await page.getByRole('link', { name: text.projects, exact: true }).click();
  assert.equal(await heading(page), text.projects);
  await page.getByLabel(text.country).selectOption('MN');
  await page.getByRole('button', { name: text.apply }).click();
  const link = page.getByRole('link', { name: 'MN006', exact: true });
  await link.waitFor();
  assert.equal(await page.locator('main tbody tr').count(), 7, 'the seven Mongolian projects');
  await expectAccessible(page, 'projects');
  // MN003, MN004 and MN006 apply MN_AM003 (data/jcm/projects_all_jcm.csv).
  await page.getByLabel(text.methodology).selectOption('MN_AM003');
  await page.getByRole('button', { name: text.apply }).click();
  await page.getByRole('link', { name: 'MN005', exact: true }).waitFor({ state: 'detached' });
  // MN005 also leaves while the list loads again (no rows at all): the list is read once the
  // three are shown.
  await page.waitForFunction(
    () => document.querySelectorAll('main tbody tr').length === 3,
    undefined,
    { timeout: 10_000 },
  );
  const references = await page.locator('main tbody tr td:first-child').allTextContents();
  assert.deepEqual(references.map((r) => r.trim()).sort(), ['MN003', 'MN004', 'MN006']);

  await link.click();
  await page.getByRole('heading', { name: text.issuances }).waitFor();
  assert.match(await heading(page), /^MN006: Introduction of 15MW Solar Power System/);
  assert.equal(new URL(page.url()).pathname, '/projects/MN006');
  const issuances = await page.locator('section[aria-labelledby=issuances] table').textContent();
  assert.ok(issuances.includes(text.quantity), `issuances show ${text.quantity}: ${issuances}`);
  // The API's status code in the language's words.
  await page.locator('dd', { hasText: text.registered }).first().waitFor();
  await expectAccessible(page, 'project');

  await page.getByRole('link', { name: text.credits }).first().click();
  await page.getByLabel(text.serial).fill(`mn-${seed.first}`);
  await page.getByRole('button', { name: text.lookUp }).click();
  await page.getByTestId('unit-status').waitFor();
  assert.equal(await page.getByTestId('unit-status').textContent(), text.retired);
  assert.equal(new URL(page.url()).search, `?serial=MN-${seed.first}`);
  const lineage = page.locator('main table tbody tr');
  assert.equal(await lineage.count(), 2, 'the retired block and the issued block');
  assert.match(await lineage.nth(1).textContent(), new RegExp(`${seed.first}–${seed.last}`));
  await expectAccessible(page, 'credit look-up');

  // A held unit shows its holder's English and Japanese names.
  await page.getByLabel(text.serial).fill(`MN-${seed.last}`);
  await page.getByRole('button', { name: text.lookUp }).click();
  await page.getByText('Browser Test Holder / ブラウザ試験保有者').waitFor();
  assert.equal(await page.getByTestId('unit-status').textContent(), text.held);
}

test('public browsing in English: projects → project → credit look-up', async () => {
  await withPage('public-en', async (page) => {
    await page.goto(`${baseUrl}/`);
    assert.equal(await heading(page), 'Joint Crediting Mechanism registry');
    const mn = page.locator('section[aria-labelledby=totals] tbody tr', { hasText: 'MN' });
    await mn.waitFor();
    assert.match(await mn.textContent(), /25,708.*25,698.*10/);
    await page.locator('canvas[role=img]').first().waitFor();
    await expectAccessible(page, 'home');
    await browsePublic(page, {
      projects: 'Projects', country: 'Country', methodology: 'Methodology', apply: 'Apply', issuances:
        'Issuances per monitoring period and side', quantity: '6,063', credits: 'Credit look-up',
      serial: 'Serial (registry-number, e.g. MN-42)', lookUp: 'Look up', retired: 'retired',
      held: 'held', registered: 'registered',
    });
  });
});

test('public browsing in Japanese, the language kept across pages and visits', async () => {
  await withPage('public-ja', async (page) => {
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('Language').selectOption('ja');
    assert.equal(await heading(page), '二国間クレジット制度（JCM）登録簿');
    assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
    await expectAccessible(page, 'home (ja)');
    await browsePublic(page, {
      projects: 'プロジェクト', country: '国', methodology: '方法論', apply: '適用', issuances:
        'モニタリング期間・サイドごとの発行', quantity: '6,063', credits: 'クレジット照会',
      serial: 'シリアル番号（登録簿-番号、例 MN-42）', lookUp: '照会', retired: '償却済み',
      held: '保有中', registered: '登録済み',
    });
    // Dates follow the language: the decision of 2026-01-24 on the project page.
    await page.goto(`${baseUrl}/projects/MN006`);
    await page.getByText('2026/01/24').first().waitFor();
    assert.equal(await page.getByRole('link', { name: 'ホーム' }).count(), 1, 'still Japanese');
  });
});

test('the decision log pages by cursor and filters by partner', async () => {
  await withPage('decision-log', async (page) => {
    await page.goto(`${baseUrl}/decisions`);
    assert.equal(await heading(page), 'Joint Committee decision log');
    const rows = page.locator('main tbody tr');
    await rows.first().waitFor();
    assert.ok((await rows.count()) >= 1);
    assert.match(await rows.first().textContent(), /^[A-Z][a-z]{2} \d{1,2}, \d{4}/, 'an English date');
    await expectAccessible(page, 'decision log');
    await page.getByLabel('Partner country').fill('XX');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('None', { exact: true }).waitFor();
  });
});

// Part of test 3 of issue 10: the retirement's certificate downloaded and read back as text.
test('retirements list their beneficiaries and link a certificate that names the serials', async () => {
  await withPage('retirements', async (page) => {
    await page.goto(`${baseUrl}/`);
    await page.getByRole('link', { name: 'Retirements', exact: true }).click();
    assert.equal(await heading(page), 'Retirements');
    const row = page.locator('main tbody tr', { hasText: 'Browser test' });
    await row.waitFor();
    assert.match(await row.textContent(), new RegExp(`${seed.first}–${seed.first + 9}`));
    await expectAccessible(page, 'retirements');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('link', { name: /^Certificate \d+ \(PDF\)$/ }).click(),
    ]);
    const file = join(work, 'certificate.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    assert.ok(text.includes('Browser test'), `the beneficiary in the certificate: ${text}`);
    assert.ok(text.includes(`MN-${seed.first} .. MN-${seed.first + 9}`), `serials: ${text}`);
    assert.ok(text.includes('償却証明書'), 'the Japanese title');
    // The look-up link goes to the retired unit.
    await row.getByRole('link', { name: 'Look up' }).click();
    await page.getByTestId('unit-status').waitFor();
    assert.equal(await page.getByTestId('unit-status').textContent(), 'retired');
  });
});

test('flows per year on the home page; Joint Committees and methodologies with their details', async () => {
  await withPage('committees-methodologies', async (page) => {
    await page.goto(`${baseUrl}/`);
    const year = new Date().getUTCFullYear().toString();
    const flows = page.locator('section[aria-labelledby=flows] tbody tr', { hasText: year });
    await flows.waitFor();
    assert.match(await flows.textContent(), /10/, 'the retirement of 10 this year');
    await page.locator('canvas[role=img]').nth(1).waitFor();
    assert.equal(await page.locator('canvas[role=img]').count(), 2, 'totals and flows charts');

    await page.getByRole('link', { name: 'Joint Committees', exact: true }).click();
    await page.getByRole('link', { name: 'MN Mongolia' }).click();
    await page.getByRole('heading', { name: 'Rules and forms' }).waitFor();
    assert.match(await page.locator('section[aria-labelledby=jc-forms] tbody').textContent(), /JCM_MN_F_PIN/);
    assert.ok((await page.locator('section[aria-labelledby=jc-decisions] tbody tr').count()) > 0);
    await expectAccessible(page, 'joint committee');

    await page.getByRole('link', { name: 'Methodologies', exact: true }).click();
    await page.getByRole('link', { name: 'MN_AM003@2.0' }).click();
    await page.getByRole('heading', { name: 'Equations' }).waitFor();
    assert.match(await heading(page), /^MN_AM003 2\.0: Installation of Solar PV System/);
    const parameters = page.locator('section[aria-labelledby=meth-parameters] tbody');
    assert.match(await parameters.textContent(), /EF_grid.*tCO2\/MWh/);
    await expectAccessible(page, 'methodology');
  });
});

test('the programme page shows the report the API gives, and projects filter by technology', async () => {
  const { report } = await (await fetch(`${baseUrl}/api/v1/programme/report`)).json();
  await withPage('programme', async (page) => {
    await page.goto(baseUrl);
    await page.getByRole('link', { name: 'Programme', exact: true }).click();
    const totals = page.getByTestId('programme-totals');
    await totals.waitFor();
    const value = async (label) => (await totals.locator('div', { hasText: label }).locator('dd').textContent()).trim();
    assert.equal(await value('Issued'), report.issued_tco2e.toLocaleString('en'));
    assert.equal(await value('Partner countries'), `${report.partner_countries_with_jc} / 30`);
    assert.match(await page.getByTestId('target-2030').textContent(), /FY2030100,000,000/);
    await page.locator('canvas[role=img]').waitFor();
    await expectAccessible(page, 'programme');
    // The technology filter keeps as many projects as the report counts for solar PV.
    const solar = report.by_technology.find((g) => g.key === 'solar_pv').projects;
    await page.getByRole('link', { name: 'Projects', exact: true }).click();
    await page.getByLabel('Technology').selectOption('solar_pv');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('status').getByText(`${Math.min(solar, 25)} project`).waitFor();
  });
});

test('sign-in with TOTP: wrong password and wrong code are refused with their messages', async () => {
  await withPage('sign-in', async (page) => {
    await page.goto(`${baseUrl}/`);
    await page.getByRole('link', { name: 'Sign in', exact: true }).click();
    assert.equal(await heading(page), 'Sign in');
    await expectAccessible(page, 'sign-in');
    const form = async (password, code) => {
      await page.getByLabel('User name').fill('ar1');
      await page.getByLabel('Password').fill(password);
      await page.getByLabel('Authenticator code').fill(code);
      await page.getByRole('button', { name: 'Sign in' }).click();
    };
    await form('not-the-password', totp(seed.totpSecret));
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByRole('alert').textContent(), 'The user name or the password is wrong.');
    const wrong = totp(seed.totpSecret, 5);  // a valid code, but of a step far from now
    await form(seed.password, wrong);
    await page.getByText('The authenticator code is wrong or has expired.').waitFor();
    await form(seed.password, await freshCode('ar1'));
    await page.getByTestId('signed-in-user').waitFor();
    assert.equal(await page.getByTestId('signed-in-user').textContent(), 'ar1');
    assert.match(await page.locator('main dl').textContent(), new RegExp(`authorised_representative:${seed.holder}:initiate`));
    // A reload keeps the session (the cookie, and /api/v1/me for the CSRF token).
    await page.reload();
    await page.getByRole('link', { name: 'My account (ar1)' }).waitFor();
    await page.getByRole('link', { name: 'My account (ar1)' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in', exact: true }).waitFor();
  }, /status of 401 \(Unauthorized\)/);
});

test('the project list pages forward and back by keyset cursor', async () => {
  await withPage('projects-paging', async (page) => {
    await page.goto(`${baseUrl}/projects`);
    const first = page.locator('main tbody tr').first();
    await first.waitFor();
    const firstPage = await first.textContent();
    assert.equal(await page.locator('main tbody tr').count(), 25);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.waitForFunction((before) =>
      document.querySelector('main tbody tr')?.textContent !== before, firstPage);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.waitForFunction((before) =>
      document.querySelector('main tbody tr')?.textContent === before, firstPage);
    await expectAccessible(page, 'projects paging');
  });
});

test('an unknown page and an unknown credit say so', async () => {
  await withPage('not-found', async (page) => {
    await page.goto(`${baseUrl}/credits?serial=MN-999999999`);
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByRole('alert').textContent(), 'No credit MN-999999999 was issued.');
    await page.goto(`${baseUrl}/nowhere`);
    assert.equal(await heading(page), 'Page not found');
  }, /status of 404 \(Not Found\)/);
});

test('the pages work from the keyboard: skip link, navigation, a form', async () => {
  await withPage('keyboard', async (page) => {
    await page.goto(`${baseUrl}/`);
    await page.locator('main h1').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Projects');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${baseUrl}/projects`);
    // The new page's heading has the focus, so Tab goes on into the page, not the header.
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'country');
    await page.goto(`${baseUrl}/credits`);
    await page.getByLabel(/Serial/).focus();
    await page.keyboard.type(`MN-${seed.first}`);
    await page.keyboard.press('Enter');
    await page.getByTestId('unit-status').waitFor();
    assert.equal(await page.getByTestId('unit-status').textContent(), 'retired');
  });
});

test('jcm serve sends the pages and assets with their headers, and the API beside them', async () => {
  const page = await fetch(`${baseUrl}/projects/MN006`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(page.headers.get('cache-control'), 'no-cache');
  assert.match(page.headers.get('content-security-policy'), /script-src 'self';/);
  const script = (await page.text()).match(/src="(\/assets\/[^"]+\.js)"/)[1];
  const asset = await fetch(`${baseUrl}${script}`, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(asset.status, 200);
  assert.equal(asset.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(asset.headers.get('content-encoding'), 'gzip');
  assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  const api = await fetch(`${baseUrl}/api/v1/nothing`);
  assert.equal(api.status, 404);
  assert.equal((await api.json()).code, 'unknown_route');
  assert.equal((await fetch(`${baseUrl}/assets/missing-000.js`)).status, 404);
});

test('the accessibility check itself finds an unlabelled control', async () => {
  await withPage('axe-sanity', async (page) => {
    await page.goto(`${baseUrl}/decisions`);
    await page.locator('#partner').waitFor();
    await page.evaluate(() => document.querySelector('label[for=partner]').remove());
    await assert.rejects(expectAccessible(page, 'unlabelled'), /label \(critical\)/);
  });
});

// Signs `user` in through the sign-in page with a fresh TOTP code.
async function signIn(page, user) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(seed.password);
  await page.getByLabel('Authenticator code').fill(await freshCode(user));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByTestId('signed-in-user').waitFor();
}

const pdfText = (file) => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
const harness = { test, withPage, expectAccessible, heading, totp, freshCode, signIn, cli, pdfText, seed, source: SOURCE,
  baseUrl: () => baseUrl };
registerAccountTests(harness);
registerCycleTests(harness);
registerAdminTests(harness);
