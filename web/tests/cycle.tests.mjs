// Browser tests of the project cycle and the MRV calculation (issue 10, tests 4, 5 and 6's file
// that is not CSV), registered by browser.test.mjs after the
// other tests so it shares their server, browser and seed: the JC secretariat of Mongolia takes a
// new project from its PIN to the issuance decision through the step forms (every document
// uploaded from the form), the TPE submits its validation and verification reports, the board
// shows the project at each status it passes, and Mongolia's registry administrator executes the
// decision from the queue of decisions to execute; the credits appear in the participant's
// account.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PERIOD = '2025-07-01..2025-12-31';

// Adds to the seed: the participants and the TPE (organisations), the TPE's designations, the
// participant's account, and the users sec1 (jc_secretariat:MN), tpe1 (tpe:tpe-a) and admin1
// (registry_administrator:MN).
export function seedCycle(db, seed, cli, setPassword) {
  for (const [org, country] of [['gobi-solar', 'MN'], ['nihon-solar', 'JP'], ['tpe-a', 'JP']]) {
    cli('org', 'register', '--db', db, '--id', org, '--name', org, '--country', country);
  }
  for (const fn of ['validation', 'verification']) {
    cli('tpe', 'designate', '--db', db, '--partner', 'MN', '--org', 'tpe-a', '--scope', '1', '--function', fn,
      '--date', '2014-01-01');
  }
  // A methodology of the committee's own, approved through the CLI (the imported data's are not
  // approved in the cycle's state).
  const proposal = join(dirname(db), 'methodology.txt');
  writeFileSync(proposal, 'proposed methodology');
  cli('methodology', 'propose', '--db', db, '--code', 'MN_PM901', '--partner', 'MN', '--title', 'Solar PV',
    '--proponent', 'nihon-solar', '--scope', '1', '--document', proposal, '--date', '2025-01-06');
  cli('methodology', 'check', '--db', db, '--code', 'MN_PM901', '--complete', '--date', '2025-01-08');
  cli('methodology', 'decide', '--db', db, '--code', 'MN_PM901', '--approve', '--approved-code', 'MN_AM901',
    '--version', '1.0', '--date', '2025-02-15');
  seed.gobi = cli('account', 'open', '--db', db, '--registry', 'MN', '--type', 'holding',
    '--holder-name', 'Gobi Solar LLC').account.id;
  for (const [user, role] of [['sec1', 'jc_secretariat:MN'], ['tpe1', 'tpe:tpe-a'], ['admin1', 'registry_administrator:MN']]) {
    cli('user', 'add', '--db', db, '--name', user);
    setPassword(user);
    cli('user', 'grant', '--db', db, '--name', user, '--role', role);
    seed.secrets[user] = cli('user', 'totp', '--db', db, '--name', user).totp.secret_base32;
  }
}

export function registerCycleTests(h) {
  const { test, withPage, expectAccessible, seed } = h;

  const { signIn } = h;

  // Opens the step's form (unless `open` is false: it is open and prefilled), fills `values` (texts by field name; a Buffer is a file to upload),
  // records it and waits for the journal entry.
  async function step(page, name, values, open = true) {
    if (open) await page.goto(`${h.baseUrl()}/cycle/${name}`);
    await page.getByRole('heading', { name: `Cycle step: ${name}` }).waitFor();
    for (const [field, value] of Object.entries(values)) {
      const input = page.locator(`#field-${field}`);
      if (Buffer.isBuffer(value)) {
        await input.setInputFiles({ name: `${field}.txt`, mimeType: 'text/plain', buffer: value });
      } else {
        await input.fill(value);
      }
    }
    await page.getByRole('button', { name: 'Record the step', exact: true }).click();
    const done = page.locator('form p[role=status], form p[role=alert]');
    await done.waitFor();
    assert.match(await done.textContent(), /^Recorded as journal entry \d+\.$/, `${name}: ${await done.textContent()}`);
  }

  async function boardShows(page, status, project) {
    await page.goto(`${h.baseUrl()}/cycle?partner=MN`);
    await page.getByTestId(`board-${status}`).getByRole('link', { name: project, exact: true }).waitFor();
  }

  test('the secretariat takes a project from PIN to an issuance decision; the registry executes it', async () => {
    const doc = (text) => Buffer.from(text);
    await withPage('cycle-secretariat', async (page) => {
      await signIn(page, 'sec1');
      await page.getByRole('link', { name: 'Project cycle', exact: true }).click();
      await page.getByRole('heading', { name: 'Steps' }).waitFor();
      await expectAccessible(page, 'cycle board');
      await step(page, 'pin-submit', {
        pin_id: 'MN_PIN901', partner: 'MN', title: 'Browser test solar PV', host_participant: 'gobi-solar',
        japanese_participant: 'nihon-solar', focal_point: 'nihon-solar', methodology: 'MN_AM901',
        methodology_version: '1.0', sectoral_scope: '1', document: doc('PIN'), date: '2025-03-01', by: 'nihon-solar',
      });
      await expectAccessible(page, 'cycle step form');
      await boardShows(page, 'pin_submitted', 'MN_PIN901');
      await step(page, 'pin-decide', { project: 'MN_PIN901', date: '2025-03-20' });
      await step(page, 'pdd-submit', { project: 'MN_PIN901', document: doc('PDD'), date: '2025-04-01', by: 'nihon-solar' });
      // The deadlines on the board, as of a day inside the PDD's 30-day public input.
      await page.goto(`${h.baseUrl()}/cycle?partner=MN`);
      await page.locator('#due-today').fill('2025-04-10');
      const input = page.getByTestId('due-item').filter({ hasText: 'MN_PIN901' });
      await input.waitFor();
      assert.match(await input.textContent(), /Apr 30, 2025.*public input on a PDD.*MN_PIN901.*the public/);
    });
    await withPage('cycle-tpe-validation', async (page) => {
      await signIn(page, 'tpe1');
      // The TPE's work list links the validation form, prefilled with the project and the TPE.
      await page.getByRole('link', { name: 'My work', exact: true }).click();
      await page.getByRole('link', { name: 'Submit the report for MN_PIN901', exact: true }).click();
      assert.equal(await page.locator('#field-project').inputValue(), 'MN_PIN901');
      assert.equal(await page.locator('#field-by').inputValue(), 'tpe-a');
      await step(page, 'validation-submit', { report: doc('validation'), date: '2025-05-15' }, false);
    });
    await withPage('cycle-registration', async (page) => {
      await signIn(page, 'sec1');
      await boardShows(page, 'validated', 'MN_PIN901');
      await step(page, 'registration-request', {
        project: 'MN_PIN901', share: '[{"side": "MN", "holder": "gobi-solar", "bp": 10000}]',
        document: doc('registration request'), date: '2025-06-01', by: 'nihon-solar',
      });
      await step(page, 'registration-decide', { project: 'MN_PIN901', reference: 'MN901', date: '2025-07-01' });
      await boardShows(page, 'registered', 'MN_PIN901');
      await step(page, 'monitoring-period', { project: 'MN901', period: PERIOD, date: '2025-07-02', by: 'gobi-solar' });
      await step(page, 'monitoring-report', {
        project: 'MN901', period: PERIOD, reported_tco2e: '1234', document: doc('monitoring report'),
        date: '2026-01-20', by: 'gobi-solar',
      });
    });
    await withPage('cycle-tpe-verification', async (page) => {
      await signIn(page, 'tpe1');
      await page.goto(`${h.baseUrl()}/tpe`);
      const open = page.getByTestId('tpe-item').filter({ hasText: PERIOD });
      await open.waitFor();
      assert.match(await open.textContent(), /Verification.*MN901.*1,234/, 'the reported amount awaits verification');
      await expectAccessible(page, 'TPE work');
      await open.getByRole('link', { name: 'Submit the report for MN901', exact: true }).click();
      assert.equal(await page.locator('#field-period').inputValue(), PERIOD);
      await step(page, 'verification-submit', { verified_tco2e: '1200', report: doc('verification'), date: '2026-02-15' }, false);
      await page.goto(`${h.baseUrl()}/tpe`);
      const done = page.getByTestId('tpe-item').filter({ hasText: PERIOD });
      await done.filter({ hasText: 'submitted' }).waitFor();
      assert.match(await done.textContent(), /1,200/, 'the verified amount once submitted');
    });
    await withPage('cycle-decision', async (page) => {
      await signIn(page, 'sec1');
      await step(page, 'issuance-request', {
        project: 'MN901', period: PERIOD, requested_tco2e: '1200', document: doc('issuance request'),
        date: '2026-02-20', by: 'nihon-solar',
      });
      await step(page, 'issuance-decide', { project: 'MN901', period: PERIOD, total_tco2e: '1200', date: '2026-03-10' });
    });
    await withPage('cycle-execute', async (page) => {
      await signIn(page, 'admin1');
      // The queue of decisions to execute links the step's form, prefilled.
      await page.getByRole('link', { name: 'Decisions to execute', exact: true }).click();
      const decision = page.locator('main tbody tr', { hasText: PERIOD });
      await decision.waitFor();
      assert.match(await decision.textContent(), /1,200.*0.*1,200/, 'notified, executed, pending');
      await expectAccessible(page, 'decisions to execute');
      await decision.getByRole('link', { name: /^Execute / }).click();
      assert.equal(await page.locator('#field-period').inputValue(), PERIOD);
      assert.equal(await page.locator('#field-registry').inputValue(), 'MN');
      await step(page, 'issuance-execute', {
        date: '2026-03-25', authorization: 'ndc', to: JSON.stringify({ 'gobi-solar': seed.gobi }),
      }, false);
      await page.goto(`${h.baseUrl()}/accounts/${seed.gobi}`);
      await page.getByTestId('account-total').waitFor();
      assert.equal((await page.getByTestId('account-total').textContent()).replace(/\D/g, ''), '1200');
      assert.match(await page.locator('section[aria-labelledby=holdings] tbody').textContent(), /MN901/);
    });
  });

  test('an MRV upload shows the emission reductions the engine computes; a file that is not CSV is refused', async () => {
    const params = join(h.source, 'src/mrv/testdata/pv_params.txt');
    const data = join(h.source, 'src/mrv/testdata/pv_long.csv');
    const expected = h.cli('mrv', 'calc', '--params', params, '--data', data);
    await withPage('mrv-upload', async (page) => {
      await signIn(page, 'sec1');
      await page.getByRole('link', { name: 'MRV', exact: true }).click();
      await page.getByLabel('Joint Committee (partner country) the files belong to').fill('MN');
      const upload = async (dataFile) => {
        await page.getByLabel('Project parameter file').setInputFiles(
          { name: 'pv_params.txt', mimeType: 'text/plain', buffer: readFileSync(params) });
        await page.getByLabel('Monitoring data files').setInputFiles(dataFile);
        await page.getByRole('button', { name: 'Upload and calculate', exact: true }).click();
      };
      await upload({ name: 'not-a-table.csv', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]) });
      await page.getByRole('alert').waitFor();
      assert.match(await page.getByRole('alert').textContent(), /data-1\.csv/, 'the refusal names the file');
      assert.equal(await page.getByTestId('mrv-total').count(), 0, 'no report');
      await upload({ name: 'pv_long.csv', mimeType: 'text/csv', buffer: readFileSync(data) });
      await page.getByTestId('mrv-total').waitFor();
      assert.equal(await page.getByTestId('mrv-total').textContent(),
        `Emission reductions: ${expected.emission_reductions_tco2e} t-CO2e`);
      const points = await page.locator('section[aria-labelledby=mrv-result] table.numbers tbody').first().textContent();
      for (const point of expected.periods[0].points) assert.ok(points.includes(point.point), points);
      await page.locator('canvas[role=img]').first().waitFor();
      // The readings as read: PV01's 250,000 kWh counted as 250 MWh beside its 1,000.5 MWh.
      const series = await page.getByTestId('mrv-series').allTextContents();
      assert.deepEqual(series, ['PV01:EG [MWh]22017-01-012017-01-021,250.5', 'PV02:EG [MWh]12017-01-012017-01-01100']);
      await page.locator('section[aria-labelledby=mrv-readings] canvas[role=img]').waitFor();
      await expectAccessible(page, 'mrv report');
      await page.getByRole('link', { name: 'Use this result in a monitoring report' }).click();
      assert.equal(await page.locator('#field-reported_tco2e').inputValue(), String(expected.emission_reductions_tco2e));
    }, /status of 400/);
  });
}
