// Browser test of the registry administrator's page (issue 10): admin1 (registry administrator
// of MN, seeded by cycle.tests.mjs) opens an account with English and Japanese holder names,
// suspends and reopens it (and closes it at the end), grants a representative's role on it to ar3 and revokes it; a role
// outside its registry (a JC secretariat's) is refused with the server's message; ar3 applies for
// two accounts, admin1 approves one (the account appears on ar3's page) and rejects the other
// (refused first without a reason). Registered by
// browser.test.mjs after the other tests, on the same server and seed.
import assert from 'node:assert/strict';

export function registerAdminTests(h) {
  const { test, withPage, expectAccessible, seed } = h;

  test('the registry administrator opens, suspends and reopens an account and manages roles', async () => {
    await withPage('admin', async (page) => {
      await h.signIn(page, 'admin1');
      await page.getByRole('link', { name: 'Administration', exact: true }).click();
      // The registry's totals count the account opened below.
      const accounts = async () => Number((await page.getByTestId('registry-totals').locator('div', { hasText: 'Accounts' })
        .locator('dd').textContent()).replace(/\D/g, ''));
      await page.getByTestId('registry-totals').waitFor();
      const before = await accounts();
      await page.getByLabel('Holder name', { exact: true }).fill('Darkhan Trading');
      await page.getByLabel('Holder name in Japanese (optional)').fill('ダルハン商事');
      await page.getByRole('button', { name: 'Open the account', exact: true }).click();
      await page.getByRole('status').getByText('The account of Darkhan Trading is open.').waitFor();
      const row = page.locator('tr', { hasText: 'Darkhan Trading / ダルハン商事' });
      await row.waitFor();
      const id = (await row.locator('th').textContent()).trim();
      assert.match(id, /^MN-121-\d{7}-\d{2}$/);
      assert.equal(await accounts(), before + 1);
      await expectAccessible(page, 'administration');
      await row.getByRole('button', { name: `Suspend ${id}`, exact: true }).click();
      await row.getByTestId('account-state').getByText('suspended').waitFor();
      await row.getByRole('button', { name: `Reopen ${id}`, exact: true }).click();
      await row.getByTestId('account-state').getByText('open').waitFor();
      // Closing is offered for an empty account only; this one closes at the end.

      const role = `authorised_representative:${id}:read_only`;
      await page.getByLabel('User name').fill('ar3');
      await page.getByLabel(/^Role/).fill(role);
      await page.getByRole('button', { name: 'Grant the role', exact: true }).click();
      await page.getByTestId('user-ar3').getByText(role).waitFor();
      await page.getByTestId('user-ar3').getByRole('button', { name: `Revoke ${role}`, exact: true }).click();
      await page.getByRole('status').getByText(`ar3 no longer holds ${role}.`).waitFor();
      // The status can show before the list is drawn again: wait for the role to go.
      await page.getByTestId('user-ar3').getByText(role).waitFor({ state: 'detached' });

      await page.getByLabel('User name').fill('ar3');
      await page.getByLabel(/^Role/).fill('jc_secretariat:MN');
      await page.getByRole('button', { name: 'Grant the role', exact: true }).click();
      await page.getByRole('alert').getByText('admin1 may not grant or revoke the role jc_secretariat:MN').waitFor();
      await row.getByRole('button', { name: `Close ${id}`, exact: true }).click();
      await row.getByTestId('account-state').getByText('closed').waitFor();
      assert.equal(await row.getByRole('button').count(), 0, 'nothing more to do with a closed account');
    }, /status of 403/);
  });

  test('a representative applies for accounts; the administrator approves one and rejects the other', async () => {
    await withPage('applications-apply', async (page) => {
      await h.signIn(page, 'ar3');
      await page.getByRole('link', { name: 'My accounts', exact: true }).click();
      for (const holder of ['Erdenet Copper LLC', 'Shell Company LLC']) {
        await page.getByLabel('Registry (JP or a partner country’s code)').fill('mn');
        await page.getByLabel('Holder name', { exact: true }).fill(holder);
        await page.getByLabel('Contact (optional)').fill('ops@example.mn');
        await page.getByRole('button', { name: 'Send the application', exact: true }).click();
        await page.getByTestId('my-application').filter({ hasText: holder }).getByText('pending').waitFor();
      }
      await expectAccessible(page, 'applications');
    });
    await withPage('applications-decide', async (page) => {
      await h.signIn(page, 'admin1');
      await page.getByRole('link', { name: 'Administration', exact: true }).click();
      const first = page.locator('tr', { hasText: 'Erdenet Copper LLC' }).filter({ hasText: 'ar3' });
      await first.waitFor();
      const id = (await first.locator('th').textContent()).trim();
      await first.getByLabel('Right').selectOption('initiate');
      await first.getByRole('button', { name: `Approve application ${id}`, exact: true }).click();
      await page.getByRole('status').getByText(`Application ${id} is approved: the account is open.`).waitFor();
      const second = page.locator('tr', { hasText: 'Shell Company LLC' });
      const other = (await second.locator('th').textContent()).trim();
      await second.getByRole('button', { name: `Reject application ${other}`, exact: true }).click();
      await page.getByRole('alert').getByText('A rejection needs a reason.').waitFor();
      await second.getByLabel('Reason').fill('no proof of identity');
      await second.getByRole('button', { name: `Reject application ${other}`, exact: true }).click();
      await page.getByRole('status').getByText(`Application ${other} is rejected.`).waitFor();
      await expectAccessible(page, 'application queue');
    }, /status of 422/);
    await withPage('applications-outcome', async (page) => {
      await h.signIn(page, 'ar3');
      await page.getByRole('link', { name: 'My accounts', exact: true }).click();
      const approved = page.getByTestId('my-application').filter({ hasText: 'Erdenet Copper LLC' });
      await approved.getByText('approved').waitFor();
      const account = (await approved.getByRole('link').textContent()).trim();
      assert.match(account, /^MN-121-\d{7}-\d{2}$/);
      await page.locator('main table').first().getByRole('link', { name: account, exact: true }).waitFor();
      const rejected = page.getByTestId('my-application').filter({ hasText: 'Shell Company LLC' });
      assert.match(await rejected.textContent(), /rejected.*no proof of identity/);
    });
  });
}
