import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, type TestServices } from '../../tests/support/test-services';
import { createOrgWithUsers } from './create-org';

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices({ startWorker: false });
});
afterAll(() => t.close());

describe('createOrgWithUsers', () => {
  it('creates an organisation whose tokens resolve to its users, one per role, and registers it', async () => {
    const created = await createOrgWithUsers(
      t.services.auth,
      { name: 'Acme Hiring', emailDomain: 'acme.test' },
      new Date(),
    );
    expect(created.users.map((u) => u.role).sort()).toEqual(['admin', 'recruiter', 'reviewer']);
    for (const user of created.users) {
      expect(await t.services.auth.resolveToken(user.token)).toMatchObject({
        orgId: created.orgId,
        userId: user.userId,
        role: user.role,
      });
    }
    expect(await t.services.auth.getOrg(created.orgId)).toMatchObject({ name: 'Acme Hiring' });
    // In the SYS#ORGS registry, so the ageing reminders see it.
    expect(await t.services.screenings.listOrgIds()).toContain(created.orgId);
  });
});
