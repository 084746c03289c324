// Browser tests of the authorised representative's pages (issue 10, tests 2 and 6), registered
// by browser.test.mjs after its public tests so they share its server, browser and seed:
//   - ar1 (initiate on the holder) trusts a buyer account and proposes a transfer; ar2 (approve)
//     refuses a wrong authenticator code, then signs with a good one, and the holdings change on
//     both accounts (ar2 reads the buyer's account with a read-only role);
//   - a proposal of more units than the account holds fails at approval with its check's
//     message, and the holdings stay as they were; a representative of one account finds
//     another's account "not found".
// TOTP codes are computed by the test (RFC 6238); a user's step is good once (INV-16), so every
// sign-in and approval takes a step the user has not used (the harness's freshCode).

import assert from 'node:assert/strict';

const BUYER = 'Browser Test Buyer';

// Adds to the seed: the buyer's account, and ar2 / ar3, approvers of the holder's account.
export function seedRepresentatives(db, seed, cli, setPassword) {
  seed.buyer = cli('account', 'open', '--db', db, '--registry', 'MN', '--type', 'holding',
    '--holder-name', BUYER).account.id;
  seed.secrets = { ar1: seed.totpSecret };
  for (const [user, roles] of [
    ['ar2', [`authorised_representative:${seed.holder}:approve`, `authorised_representative:${seed.buyer}:read_only`]],
    ['ar3', [`authorised_representative:${seed.holder}:approve`]],
  ]) {
    cli('user', 'add', '--db', db, '--name', user);
    setPassword(user);
    for (const role of roles) cli('user', 'grant', '--db', db, '--name', user, '--role', role);
    seed.secrets[user] = cli('user', 'totp', '--db', db, '--name', user).totp.secret_base32;
  }
}

export function registerAccountTests(h) {
  const { test, withPage, expectAccessible, heading, totp, seed } = h;

  const { signIn } = h;

  async function openAccount(page, id) {
    await page.getByRole('link', { name: 'My accounts', exact: true }).click();
    await page.getByRole('link', { name: id, exact: true }).click();
    await page.getByRole('heading', { name: 'Holdings by block' }).waitFor();
  }

  const total = async (page) => (await page.getByTestId('account-total').textContent()).replace(/\D/g, '');

  // Proposes with the form as filled and returns the new proposal's row.
  async function propose(page) {
    await page.getByRole('button', { name: 'Propose', exact: true }).click();
    const status = page.getByRole('status').filter({ hasText: /^Proposal \d+ is awaiting approval\.$/ });
    await status.waitFor();
    const id = (await status.textContent()).match(/\d+/)[0];
    return page.getByTestId(`proposal-${id}`);
  }

  // Opens the row's approval form (unless a refused code left it open) and signs with `code`.
  async function approve(page, proposalRow, code) {
    await proposalRow.getByTestId('proposal-status').waitFor();
    const codeInput = proposalRow.getByLabel(/^Authenticator code to sign proposal/);
    if (!(await codeInput.isVisible())) {
      await proposalRow.getByRole('button', { name: 'Approve', exact: true }).click();
    }
    await codeInput.fill(code);
    await proposalRow.getByRole('button', { name: 'Sign and approve', exact: true }).click();
  }

  test('two representatives: a transfer proposed, approved with TOTP, holdings change on both accounts', async () => {
    const ok = assert;
    let held;
    await withPage('four-eyes-propose', async (page) => {
      await signIn(page, 'ar1');
      await openAccount(page, seed.holder);
      held = Number(await total(page));
      await page.getByLabel('Account', { exact: true }).fill(seed.buyer);
      await page.getByRole('button', { name: 'Add to the list', exact: true }).click();
      await page.getByTestId(`trusted-${seed.buyer}`).getByText('in effect').waitFor();
      await page.getByTestId('transaction-rules').getByText('need a second approval').waitFor();
      await page.getByLabel('Destination account').fill(seed.buyer);
      await page.getByLabel('Quantity (t-CO2e)').fill('100');
      seed.transferProposal = await (await propose(page)).getAttribute('data-testid');
      ok.equal(await total(page), String(held), 'nothing moves before the approval');
      await expectAccessible(page, 'account (initiator)');
    });
    await withPage('four-eyes-approve', async (page) => {
      await signIn(page, 'ar2');
      await openAccount(page, seed.holder);
      const row = page.getByTestId(seed.transferProposal);
      await approve(page, row, totp(seed.secrets.ar2, 5));
      await row.getByRole('alert').getByText('The authenticator code is wrong or has expired.').waitFor();
      ok.equal(await total(page), String(held), 'a wrong code changes nothing');
      await expectAccessible(page, 'approval queue');
      await approve(page, row, await h.freshCode('ar2'));
      await row.getByTestId('proposal-status').getByText('completed').waitFor();
      await page.waitForFunction((want) =>
        document.querySelector('[data-testid=account-total]')?.textContent.replace(/\D/g, '') === want,
      String(held - 100));
      ok.match(await page.locator('section[aria-labelledby=history] tbody').textContent(),
        new RegExp(`transfer100${seed.holder}${seed.buyer}`));
      await openAccount(page, seed.buyer);
      ok.equal(await total(page), '100', 'the buyer holds the units');
      ok.match(await heading(page), new RegExp(BUYER));
    }, /status of 422/);
  });

  test('more units than held fail at approval with their message; another account is not found', async () => {
    const ok = assert;
    await withPage('four-eyes-insufficient', async (page) => {
      await signIn(page, 'ar1');
      await openAccount(page, seed.holder);
      const held = await total(page);
      await page.getByLabel('Destination account').fill(seed.buyer);
      await page.getByLabel('Quantity (t-CO2e)').fill(String(Number(held) + 1));
      const mine = await propose(page);
      seed.oversizeProposal = await mine.getAttribute('data-testid');
      await page.getByLabel('Quantity (t-CO2e)').fill('abc');
      await page.getByRole('button', { name: 'Propose', exact: true }).click();
      ok.equal(await page.getByLabel('Quantity (t-CO2e)').evaluate((e) => e.validity.patternMismatch), true);
      // ar1 (initiate only) may not approve, and the page says why.
      await approve(page, mine, '000000');
      await mine.getByRole('alert').waitFor();
      ok.match(await mine.getByRole('alert').textContent(), /not allow|proposed this transaction/);
      await page.goto(`${h.baseUrl()}/accounts/${seed.buyer}`);
      await page.getByText(`No account ${seed.buyer} that you may read.`).waitFor();
    }, /status of (403|404|422)/);
    await withPage('four-eyes-insufficient-approve', async (page) => {
      await signIn(page, 'ar3');
      await openAccount(page, seed.holder);
      const held = await total(page);
      const row = page.getByTestId(seed.oversizeProposal);
      await approve(page, row, await h.freshCode('ar3'));
      await row.getByText('The account holds fewer units than the quantity.', { exact: false }).waitFor();
      ok.equal(await row.getByTestId('proposal-status').textContent(), 'failed');
      ok.equal(await total(page), held, 'a failed proposal changes no holding');
    });
  });

  // Test 3 of issue 10 through the pages: a retirement proposed and approved, then its
  // certificate downloaded from the retirements page and read back.
  test('a retirement proposed and approved in the pages, and its certificate downloaded and read', async () => {
    await withPage('retirement-four-eyes', async (page) => {
      await signIn(page, 'ar1');
      await openAccount(page, seed.holder);
      await page.getByLabel('Type').selectOption('retirement');
      await page.getByLabel('Quantity (t-CO2e)').fill('5');
      await page.getByLabel('Beneficiary').fill('Web retirement beneficiary');
      seed.retirementProposal = await (await propose(page)).getAttribute('data-testid');
    });
    await withPage('retirement-approve', async (page) => {
      await signIn(page, 'ar2');
      await openAccount(page, seed.holder);
      const row = page.getByTestId(seed.retirementProposal);
      await approve(page, row, await h.freshCode('ar2'));
      await row.getByTestId('proposal-status').getByText('completed').waitFor();
      await page.getByRole('link', { name: 'Retirements', exact: true }).click();
      const retired = page.locator('main tbody tr', { hasText: 'Web retirement beneficiary' });
      await retired.waitFor();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        retired.getByRole('link', { name: /^Certificate \d+ \(PDF\)$/ }).click(),
      ]);
      const text = h.pdfText(await download.path());
      assert.ok(text.includes('Web retirement beneficiary'), `the beneficiary in the certificate: ${text}`);
      assert.match(text, /MN-\d+ \.\. MN-\d+/, 'the serial range');
    });
  });
}
