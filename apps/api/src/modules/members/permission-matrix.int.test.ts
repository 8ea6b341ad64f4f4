// Table-driven from the policy catalog: for each role and each single policy, every operation
// it should allow succeeds and every other one is refused — and the API agrees with the ability
// factory the web app uses (M1, M2, M7). These hand-written rows go through to success (and the
// no-escalation rule); operation-matrix.int.test.ts covers EVERY operation of the permission
// snapshot, generated, and checks that every catalog policy grants some operation.
import { subject } from "@casl/ability";

import { canGrant, defineAbilityFor, POLICY_CATALOG, type MembershipRole } from "@atrium/policies";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import {
  addMember,
  codeOf,
  createWorkspace,
  ownerSql,
  startTestApi,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";

interface Op {
  name: string;
  /** What the ability factory says (plus the no-escalation rule where the op grants something). */
  expected: (who: { workspaceId: string; role: MembershipRole; policies: string[] }) => boolean;
  run: (api: TestApi, token: string) => Promise<{ ok: boolean; code?: string }>;
}

const can =
  (
    action: Parameters<ReturnType<typeof defineAbilityFor>["can"]>[0],
    subj: "Workspace" | "Member" | "Invitation" | "AuditEvent" | "Contact" | "PhoneConfig" | "Webhook",
  ) =>
  (w: { workspaceId: string; role: MembershipRole; policies: string[] }) =>
    defineAbilityFor(w).can(action, subject(subj, { workspaceId: w.workspaceId }));

describe("permission matrix (role × single policy × operation)", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string; slug: string };
  let target: TestUser;
  const subjects: { label: string; role: MembershipRole; policies: string[]; user?: TestUser }[] = [
    { label: "OWNER", role: "OWNER", policies: [] },
    { label: "ADMIN", role: "ADMIN", policies: [] },
    { label: "AGENT (defaults, no stored policies)", role: "AGENT", policies: [] },
    ...POLICY_CATALOG.map((p) => ({ label: `AGENT + ${p.key}`, role: "AGENT" as const, policies: [p.key as string] })),
  ];

  const gqlOk = async (api: TestApi, token: string, q: string, v: Record<string, unknown>) => {
    const r = await api.gql(q, v, { token });
    return { ok: !r.errors, code: codeOf(r) };
  };

  let ops: Op[];

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Matrix");
    target = await api.user("Target");
    await addMember(api, ws.id, target, "AGENT", []);
    for (const s of subjects) {
      if (s.role === "OWNER") {
        s.user = owner;
        continue;
      }
      s.user = await api.user(s.label);
      await addMember(api, ws.id, s.user, s.role, s.policies);
    }
    let n = 0;
    // Fixtures for the contacts / phone numbers / webhooks operations (issue 13).
    const contactId = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO contacts (workspace_id, name, email) VALUES ($1, 'Fixture', 'fixture@example.com') RETURNING id`,
        [ws.id],
      )
    )[0]!.id;
    const phoneId = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO phone_configs (workspace_id, number, provider, label) VALUES ($1, '+15550001000', 'TWILIO', 'Fixture') RETURNING id`,
        [ws.id],
      )
    )[0]!.id;
    const newEndpoint = async () => {
      const r = await api.gql<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
        `mutation($w: ID!) { createWebhookEndpoint(workspaceId: $w, input: { url: "http://127.0.0.1:9/hook", events: ["lead.created"] }) { endpoint { id } } }`,
        { w: ws.id },
        { token: owner.token },
      );
      return r.data!.createWebhookEndpoint.endpoint.id;
    };
    const endpointId = await newEndpoint();
    const eventId = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO webhook_events (workspace_id, type, payload) VALUES ($1, 'lead.created', '{}') RETURNING id`,
        [ws.id],
      )
    )[0]!.id;
    const deliveryId = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO webhook_deliveries (workspace_id, endpoint_id, event_id, event_type, status) VALUES ($1, $2, $3, 'lead.created', 'FAILED') RETURNING id`,
        [ws.id, endpointId, eventId],
      )
    )[0]!.id;
    ops = [
      {
        name: "workspace(slug)",
        expected: can("read", "Workspace"),
        run: (a, t) => gqlOk(a, t, `query($s: String!) { workspace(slug: $s) { id } }`, { s: ws.slug }),
      },
      {
        name: "members",
        expected: can("read", "Member"),
        run: (a, t) => gqlOk(a, t, `query($w: ID!) { members(workspaceId: $w) { role } }`, { w: ws.id }),
      },
      {
        name: "invitations",
        expected: can("read", "Invitation"),
        run: (a, t) => gqlOk(a, t, `query($w: ID!) { invitations(workspaceId: $w) { id } }`, { w: ws.id }),
      },
      {
        name: "auditEvents",
        expected: can("read", "AuditEvent"),
        run: (a, t) => gqlOk(a, t, `query($w: ID!) { auditEvents(workspaceId: $w) { totalCount } }`, { w: ws.id }),
      },
      {
        name: "inviteMember (AGENT with lead.read)",
        expected: (w) => can("create", "Invitation")(w) && canGrant(w, { role: "AGENT", policies: ["lead.read"] }),
        run: (a, t) =>
          gqlOk(a, t, `mutation($w: ID!, $i: InviteMemberInput!) { inviteMember(workspaceId: $w, input: $i) { id } }`, {
            w: ws.id,
            i: { email: `m${++n}@example.com`, role: "AGENT", policies: ["lead.read"] },
          }),
      },
      {
        name: "updateMember (target AGENT, no policies → no policies)",
        expected: (w) => can("update", "Member")(w) && canGrant(w, { role: "AGENT", policies: [] }),
        run: (a, t) =>
          gqlOk(
            a,
            t,
            `mutation($w: ID!, $u: ID!, $i: UpdateMemberInput!) { updateMember(workspaceId: $w, userId: $u, input: $i) { role } }`,
            { w: ws.id, u: target.id, i: { role: "AGENT", policies: [] } },
          ),
      },
      {
        name: "removeMember (target AGENT)",
        expected: (w) => can("delete", "Member")(w) && canGrant(w, { role: "AGENT", policies: [] }),
        run: async (a, t) => {
          const r = await gqlOk(a, t, `mutation($w: ID!, $u: ID!) { removeMember(workspaceId: $w, userId: $u) }`, {
            w: ws.id,
            u: target.id,
          });
          if (r.ok) await addMember(a, ws.id, target, "AGENT", []);
          return r;
        },
      },
      {
        name: "contacts",
        expected: can("read", "Contact"),
        run: (a, t) =>
          gqlOk(a, t, `query($w: ID!) { contacts(workspaceId: $w, search: "fix") { totalCount } }`, { w: ws.id }),
      },
      {
        name: "contactTags",
        expected: can("read", "Contact"),
        run: (a, t) => gqlOk(a, t, `query($w: ID!) { contactTags(workspaceId: $w) }`, { w: ws.id }),
      },
      {
        name: "contactImport",
        expected: can("read", "Contact"),
        run: (a, t) =>
          gqlOk(
            a,
            t,
            `query($w: ID!) { contactImport(workspaceId: $w, importId: "00000000-0000-4000-8000-000000000000") { rowsDone } }`,
            { w: ws.id },
          ),
      },
      {
        name: "createContact",
        expected: can("create", "Contact"),
        run: (a, t) =>
          gqlOk(a, t, `mutation($w: ID!, $i: ContactInput!) { createContact(workspaceId: $w, input: $i) { id } }`, {
            w: ws.id,
            i: { name: "New", email: `c${++n}@example.com` },
          }),
      },
      {
        name: "updateContact",
        expected: can("update", "Contact"),
        run: (a, t) =>
          gqlOk(
            a,
            t,
            `mutation($w: ID!, $id: ID!) { updateContact(workspaceId: $w, id: $id, input: { name: "Fixture", email: "fixture@example.com", tags: ["vip"] }) { id } }`,
            { w: ws.id, id: contactId },
          ),
      },
      {
        name: "deleteContact",
        expected: can("delete", "Contact"),
        run: async (a, t) => {
          const id = (
            await ownerSql<{ id: string }>(
              a,
              `INSERT INTO contacts (workspace_id, name, email) VALUES ($1, 'Doomed', $2) RETURNING id`,
              [ws.id, `d${++n}@example.com`],
            )
          )[0]!.id;
          return gqlOk(a, t, `mutation($w: ID!, $id: ID!) { deleteContact(workspaceId: $w, id: $id) }`, {
            w: ws.id,
            id,
          });
        },
      },
      {
        name: "importContacts (dry run)",
        expected: (w) => can("create", "Contact")(w) && can("update", "Contact")(w),
        run: (a, t) =>
          gqlOk(
            a,
            t,
            `mutation($w: ID!) { importContacts(workspaceId: $w, input: { dryRun: true, rows: [{ name: "Imp", email: "imp@example.com" }] }) { created } }`,
            { w: ws.id },
          ),
      },
      {
        name: "phoneConfigs",
        expected: can("read", "PhoneConfig"),
        run: (a, t) => gqlOk(a, t, `query($w: ID!) { phoneConfigs(workspaceId: $w) { id } }`, { w: ws.id }),
      },
      {
        name: "createPhoneConfig",
        expected: can("create", "PhoneConfig"),
        run: (a, t) =>
          gqlOk(
            a,
            t,
            `mutation($w: ID!, $i: PhoneConfigInput!) { createPhoneConfig(workspaceId: $w, input: $i) { id } }`,
            { w: ws.id, i: { number: `+1555200${String(++n).padStart(4, "0")}`, provider: "TWILIO", label: "x" } },
          ),
      },
      {
        name: "updatePhoneConfig",
        expected: can("update", "PhoneConfig"),
        run: (a, t) =>
          gqlOk(
            a,
            t,
            `mutation($w: ID!, $id: ID!) { updatePhoneConfig(workspaceId: $w, id: $id, input: { number: "+15550001000", provider: TWILIO, label: "Fixture" }) { id } }`,
            { w: ws.id, id: phoneId },
          ),
      },
      {
        name: "deletePhoneConfig",
        expected: can("delete", "PhoneConfig"),
        run: async (a, t) => {
          const id = (
            await ownerSql<{ id: string }>(
              a,
              `INSERT INTO phone_configs (workspace_id, number, provider, label) VALUES ($1, $2, 'VAPI', 'Doomed') RETURNING id`,
              [ws.id, `+1555300${String(++n).padStart(4, "0")}`],
            )
          )[0]!.id;
          return gqlOk(a, t, `mutation($w: ID!, $id: ID!) { deletePhoneConfig(workspaceId: $w, id: $id) }`, {
            w: ws.id,
            id,
          });
        },
      },
      {
        name: "webhookEndpoints",
        expected: can("read", "Webhook"),
        run: (a, t) => gqlOk(a, t, `query($w: ID!) { webhookEndpoints(workspaceId: $w) { id } }`, { w: ws.id }),
      },
      {
        name: "webhookDeliveries",
        expected: can("read", "Webhook"),
        run: (a, t) =>
          gqlOk(a, t, `query($w: ID!, $e: ID!) { webhookDeliveries(workspaceId: $w, endpointId: $e) { totalCount } }`, {
            w: ws.id,
            e: endpointId,
          }),
      },
      {
        name: "createWebhookEndpoint",
        expected: can("create", "Webhook"),
        run: async (a, t) => {
          const r = await a.gql<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
            `mutation($w: ID!) { createWebhookEndpoint(workspaceId: $w, input: { url: "http://127.0.0.1:9/x", events: ["lead.created"] }) { endpoint { id } } }`,
            { w: ws.id },
            { token: t },
          );
          if (r.data)
            await ownerSql(a, `DELETE FROM webhook_endpoints WHERE id = $1`, [
              r.data.createWebhookEndpoint.endpoint.id,
            ]);
          return { ok: !r.errors, code: codeOf(r) };
        },
      },
      {
        name: "updateWebhookEndpoint",
        expected: can("update", "Webhook"),
        run: (a, t) =>
          gqlOk(
            a,
            t,
            `mutation($w: ID!, $id: ID!) { updateWebhookEndpoint(workspaceId: $w, id: $id, input: { enabled: true }) { id } }`,
            { w: ws.id, id: endpointId },
          ),
      },
      {
        name: "rotateWebhookSecret",
        expected: can("update", "Webhook"),
        run: (a, t) =>
          gqlOk(a, t, `mutation($w: ID!, $id: ID!) { rotateWebhookSecret(workspaceId: $w, id: $id) { secret } }`, {
            w: ws.id,
            id: endpointId,
          }),
      },
      {
        name: "redeliverWebhook",
        expected: can("update", "Webhook"),
        run: (a, t) =>
          gqlOk(a, t, `mutation($w: ID!, $d: ID!) { redeliverWebhook(workspaceId: $w, deliveryId: $d) { id } }`, {
            w: ws.id,
            d: deliveryId,
          }),
      },
      {
        name: "deleteWebhookEndpoint",
        expected: can("delete", "Webhook"),
        run: async (a, t) =>
          gqlOk(a, t, `mutation($w: ID!, $id: ID!) { deleteWebhookEndpoint(workspaceId: $w, id: $id) }`, {
            w: ws.id,
            id: await newEndpoint(),
          }).then(async (r) => {
            await ownerSql(a, `DELETE FROM webhook_endpoints WHERE workspace_id = $1 AND id <> $2`, [
              ws.id,
              endpointId,
            ]);
            return r;
          }),
      },
      {
        name: "transferOwnership (to target)",
        expected: can("transfer", "Workspace"),
        run: async (a, t) => {
          const r = await gqlOk(
            a,
            t,
            `mutation($w: ID!, $u: ID!) { transferOwnership(workspaceId: $w, userId: $u) { id } }`,
            { w: ws.id, u: target.id },
          );
          if (r.ok) {
            // Put the original owner back.
            await ownerSql(a, `UPDATE memberships SET role = 'OWNER' WHERE workspace_id = $1 AND user_id = $2`, [
              ws.id,
              owner.id,
            ]);
            await ownerSql(
              a,
              `UPDATE memberships SET role = 'AGENT', policies = '{}' WHERE workspace_id = $1 AND user_id = $2`,
              [ws.id, target.id],
            );
          }
          return r;
        },
      },
    ];
  });
  afterAll(async () => api.close());

  it.each(subjects.map((s) => [s.label, s] as const))(
    "%s: the API allows exactly what the ability factory allows",
    async (_label, s) => {
      const rows: string[] = [];
      for (const op of ops) {
        const expected = op.expected({ workspaceId: ws.id, role: s.role, policies: s.policies });
        const got = await op.run(api, s.user!.token);
        rows.push(
          `${op.name}: expected ${expected ? "allow" : "deny"}, got ${got.ok ? "allow" : `deny (${got.code})`}`,
        );
        if (!expected) expect(["FORBIDDEN"]).toContain(got.code);
      }
      const mismatches = rows.filter(
        (r) =>
          (r.includes("expected allow") && !r.includes("got allow")) ||
          (r.includes("expected deny") && r.includes("got allow")),
      );
      expect(mismatches, rows.join("\n")).toEqual([]);
    },
  );
});
