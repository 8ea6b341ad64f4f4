/**
 * Scenario "invitations" (issue 3, SPEC M3–M7): the owner invites an agent with the Viewer
 * preset; the invitee opens the link from the dev mailbox in another browser, creates an
 * account from it (verified by the invitation), accepts and lands in the workspace, where it
 * sees leads but neither settings nor member management; the owner grants `workspace.members`
 * and, after a reload, the agent's members page offers to invite — only what it holds, which
 * it does; the owner, opening that third person's link, is told it is for another account.
 * Finally ownership moves to the agent (confirmed by typing its email), the new sole owner
 * cannot leave, and the former owner (now an admin) can.
 */
import { type Page } from "playwright-core";

import { checkA11y, LIGHT_AND_DARK } from "./axe.ts";
import {
  absent,
  assert,
  atPath,
  chooseRowAction,
  createWorkspace,
  focused,
  mailLink,
  signUpVerifyAndSignIn,
  visible,
  type Scenario,
  type TestUser,
} from "./helpers.ts";

const stamp = Date.now();
const owner: TestUser = {
  name: "Olivia Owner",
  email: `e2e-owner-${stamp}@example.test`,
  password: "correct-horse-battery-staple",
};
const invitee: TestUser = {
  name: "Victor Viewer",
  email: `e2e-viewer-${stamp}@example.test`,
  password: "another-horse-battery-staple",
};
const thirdPerson = `e2e-third-${stamp}@example.test`;
const workspace = { name: "E2E Invitations Team", slug: "e2e-invitations-team" };
const membersPath = `/w/${workspace.slug}/members`;

/** The invitation link as mailed, kept for the step that opens it again. */
let invitationUrl = "";

const workspaceNav = (page: Page) => page.getByRole("navigation", { name: "Workspace" });
const memberRow = (page: Page, email: string) =>
  page.getByRole("table", { name: "Members" }).locator(`tr[data-email="${email}"]`);

async function openMembers(page: Page): Promise<void> {
  await page.goto(membersPath);
  await visible(page.getByRole("heading", { name: "Members", exact: true }), "the members page");
  await visible(page.getByRole("table", { name: "Members" }), "the members table");
}

export const invitationsScenario: Scenario = {
  name: "invitations",
  actors: ["owner", "invitee"],
  steps: [
    {
      name: "the owner signs up, verifies and signs in",
      actor: "owner",
      run: async (page) => {
        await signUpVerifyAndSignIn(page, owner);
        await visible(page.getByRole("heading", { name: "Your workspaces" }), "the workspace list");
      },
    },
    {
      name: "the owner creates a workspace",
      actor: "owner",
      run: async (page) => {
        await createWorkspace(page, workspace);
      },
    },
    {
      name: "the owner invites a viewer",
      actor: "owner",
      run: async (page, snap) => {
        await workspaceNav(page).getByRole("link", { name: "Members", exact: true }).click();
        await atPath(page, membersPath);
        await visible(memberRow(page, owner.email), "the owner in the members list");
        await (await visible(page.getByRole("button", { name: "Invite member" }), "the Invite member button")).click();
        const dialog = await visible(page.getByRole("dialog", { name: "Invite a member" }), "the invite dialog");
        await dialog.getByLabel("Email", { exact: true }).fill(invitee.email);
        // An owner may grant every role, OWNER included.
        const roles = await dialog.getByLabel("Role", { exact: true }).locator("option").allTextContents();
        assert(
          JSON.stringify(roles) === JSON.stringify(["Owner", "Admin", "Agent"]),
          `an owner should be offered every role, got ${JSON.stringify(roles)}`,
        );
        await dialog.getByLabel("Preset", { exact: true }).selectOption({ label: "Viewer" });
        assert(
          (await dialog.getByLabel("Role", { exact: true }).inputValue()) === "AGENT",
          "the Viewer preset should make an agent",
        );
        assert(await dialog.getByRole("checkbox", { name: /^lead\.read/ }).isChecked(), "Viewer should tick lead.read");
        assert(
          !(await dialog.getByRole("checkbox", { name: /^lead\.manage/ }).isChecked()),
          "Viewer should not tick lead.manage",
        );
        assert(
          !(await dialog.getByRole("checkbox", { name: /^workspace\.members/ }).isChecked()),
          "Viewer should not tick workspace.members",
        );
        assert(
          await dialog.getByRole("checkbox", { name: /^workspace\.settings/ }).isDisabled(),
          "workspace.settings should be disabled for an agent",
        );
        await visible(dialog.getByText("View the workspace audit log."), "the policy descriptions from the catalog");
        await snap("dialog");
        await dialog.getByRole("button", { name: "Send invitation" }).click();
        await visible(
          page.getByRole("status").filter({ hasText: `Invitation sent to ${invitee.email}` }),
          "the invitation-sent notice",
        );
        const pending = await visible(
          page.getByRole("table", { name: "Pending invitations" }).locator(`tr[data-email="${invitee.email}"]`),
          "the pending invitation",
        );
        assert(/Pending/.test((await pending.textContent()) ?? ""), "the invitation should be pending");
        assert(/Agent/.test((await pending.textContent()) ?? ""), "the invitation should be for an agent");
      },
    },
    {
      name: "the invitee opens the link from the dev mailbox",
      actor: "invitee",
      run: async (page, snap) => {
        const link = await mailLink(
          page,
          invitee.email,
          /\/invitations\/accept\?token=/,
          "the invitation link in the mail",
        );
        invitationUrl = (await link.textContent()) ?? "";
        assert(
          invitationUrl.startsWith(`${new URL(page.url()).origin}/invitations/accept?token=`),
          `the link ${invitationUrl} should point at this server`,
        );
        await snap("mailbox");
        await link.click();
        await atPath(page, "/invitations/accept");
        const preview = await visible(page.getByTestId("invitation-preview"), "the invitation preview");
        const text = (await preview.textContent()) ?? "";
        assert(text.includes(workspace.name), "the preview should name the workspace");
        assert(text.includes(invitee.email), "the preview should show the invited address");
        assert(text.includes("Agent"), "the preview should show the role");
        await visible(page.getByRole("link", { name: "Sign in to accept" }), "the sign-in option");
        await visible(page.getByRole("link", { name: "Create an account" }), "the create-account option");
        await checkA11y(page, "the invitation preview, signed out", { schemes: LIGHT_AND_DARK });
      },
    },
    {
      name: "the invitee creates an account from the invitation",
      actor: "invitee",
      run: async (page, snap) => {
        await page.getByRole("link", { name: "Create an account" }).click();
        await atPath(page, "/signup");
        await visible(page.getByTestId("signup-invitation"), "the note that the account joins the workspace");
        const email = page.getByLabel("Email", { exact: true });
        assert((await email.inputValue()) === invitee.email, "the email should be prefilled with the invited address");
        await page.getByLabel("Name", { exact: true }).fill(invitee.name);
        await page.getByLabel("Password", { exact: true }).fill(invitee.password);
        await snap("form");
        await page.getByRole("button", { name: "Create account" }).click();
        // Verified by the invitation: signed straight in and back on the invitation.
        await atPath(page, "/invitations/accept");
        await visible(page.getByText(`Signed in as ${invitee.email}.`), "the signed-in invitee");
        await visible(page.getByRole("button", { name: "Accept invitation" }), "the Accept button");
        await checkA11y(page, "the invitation, signed in as the invitee");
      },
    },
    {
      name: "the invitee accepts and lands in the workspace",
      actor: "invitee",
      run: async (page) => {
        await page.getByRole("button", { name: "Accept invitation" }).click();
        await atPath(page, `/w/${workspace.slug}`);
        await visible(page.getByRole("heading", { name: workspace.name }), "the workspace home");
        const nav = workspaceNav(page);
        await visible(nav.getByRole("link", { name: "Leads", exact: true }), "the Leads navigation item");
        await visible(nav.getByRole("link", { name: "Members", exact: true }), "the Members navigation item");
        await absent(nav.getByRole("link", { name: "Settings", exact: true }), "the Settings navigation item");
        await absent(nav.getByRole("link", { name: "API keys", exact: true }), "the API keys navigation item");
        const switcher = page.getByLabel("Switch workspace");
        assert(
          (await switcher.getAttribute("data-current")) === workspace.slug,
          "the switcher should list and select the joined workspace",
        );
      },
    },
    {
      name: "the viewer sees the members but no management controls",
      actor: "invitee",
      run: async (page) => {
        await workspaceNav(page).getByRole("link", { name: "Members", exact: true }).click();
        await atPath(page, membersPath);
        await visible(memberRow(page, owner.email), "the owner in the members list");
        const me = await visible(memberRow(page, invitee.email), "the viewer in the members list");
        assert(/lead\.read/.test((await me.textContent()) ?? ""), "the viewer's row should list lead.read");
        await absent(page.getByRole("button", { name: "Invite member" }), "the Invite member button");
        // The hidden actions are explained, not just missing.
        await page.getByRole("button", { name: "Why can't I invite?" }).click();
        const why = await visible(page.getByTestId("why-cant-i"), "why the viewer cannot invite");
        await visible(why.getByText(/workspace\.members/), "the explanation naming workspace.members");
        await visible(
          page.getByRole("button", { name: "Why can't I change members?" }),
          "why the viewer cannot change members",
        );
        await checkA11y(page, "the members page of a viewer, with why-can't-I open");
        // No row has more than "What can … do?": no actions menu (Edit, Remove, Transfer ownership) on any member.
        await absent(
          page.getByRole("table", { name: "Members" }).getByRole("button", { name: /^Actions for / }),
          "a member's actions menu",
        );
        await visible(
          memberRow(page, owner.email).getByRole("button", { name: `What can ${owner.name} do?` }),
          "the what-can button on the owner",
        );
        await absent(page.getByRole("heading", { name: "Pending invitations" }), "the pending invitations");
        await visible(page.getByRole("button", { name: "Leave workspace" }), "the Leave workspace button");
      },
    },
    {
      name: "why can't I? the viewer opening settings is told which policy it needs (desktop and 390 px)",
      actor: "invitee",
      run: async (page, snap) => {
        await page.goto(`/w/${workspace.slug}/settings`);
        await visible(
          page.getByRole("alert").filter({ hasText: "You don't have access to settings in this workspace." }),
          "the refusal",
        );
        await page.getByRole("button", { name: "Why can't I?" }).click();
        const answer = await visible(page.getByTestId("why-cant-i"), "the explanation");
        await visible(answer.getByText(/workspace\.settings/), "the explanation naming workspace.settings");
        const text = (await answer.textContent()) ?? "";
        assert(
          /You can't change the settings of /.test(text) && /only an owner or admin can hold/.test(text),
          `the explanation should say agents never get it, in words, got ${text}`,
        );
        await snap("desktop");
        await page.setViewportSize({ width: 390, height: 844 });
        try {
          await visible(page.getByTestId("why-cant-i"), "the explanation at 390 px");
          const box = await page.getByTestId("why-cant-i").boundingBox();
          assert(
            box !== null && box.x >= 0 && box.x + box.width <= 390,
            `the explanation should fit a 390 px screen, got ${JSON.stringify(box)}`,
          );
          await snap("390px");
        } finally {
          await page.setViewportSize({ width: 1280, height: 800 });
        }
      },
    },
    {
      name: "what can Victor Viewer do here? the owner sees allowed and denied operations with reasons",
      actor: "owner",
      run: async (page, snap) => {
        await openMembers(page);
        await chooseRowAction(page, memberRow(page, invitee.email), invitee.name, `What can ${invitee.name} do?`);
        const dialog = await visible(
          page.getByRole("dialog", { name: `What can ${invitee.name} do here?` }),
          "the capabilities dialog",
        );
        const rows = dialog.getByTestId("capability");
        const see = await visible(rows.filter({ hasText: "✓ See leads" }), "lead.read, allowed");
        assert(/lead\.read/.test((await see.textContent()) ?? ""), "the allowed row should name the granting policy");
        const settings = await visible(rows.filter({ hasText: "✗ Change workspace settings" }), "settings, denied");
        assert(
          /workspace\.settings/.test((await settings.textContent()) ?? ""),
          "the denied row should name the policy it needs",
        );
        await visible(rows.filter({ hasText: "✗ Delete the workspace" }), "an owner-only power, denied");
        await snap("dialog");
        await page.setViewportSize({ width: 390, height: 844 });
        try {
          await visible(dialog.getByTestId("capability").first(), "the dialog at 390 px");
          await snap("dialog-390px");
        } finally {
          await page.setViewportSize({ width: 1280, height: 800 });
        }
        await dialog.getByRole("button", { name: "Close" }).click();
        // Focus goes back to the menu button the dialog was opened from.
        await focused(
          page.getByRole("button", { name: `Actions for ${invitee.name}`, exact: true }),
          "the row's menu button, after the dialog closed",
        );
      },
    },
    {
      name: "the used invitation link is refused",
      actor: "invitee",
      run: async (page) => {
        await page.goto(invitationUrl);
        await visible(page.locator('[data-invitation-problem="USED"]'), "the already-used message");
        await checkA11y(page, "a used invitation");
      },
    },
    {
      name: "the owner grants workspace.members to the agent",
      actor: "owner",
      run: async (page, snap) => {
        await openMembers(page);
        await absent(
          page.getByRole("table", { name: "Pending invitations" }).locator(`tr[data-email="${invitee.email}"]`),
          "the accepted invitation",
        );
        const row = await visible(memberRow(page, invitee.email), "the new member");
        assert(/Agent/.test((await row.textContent()) ?? ""), "the new member should be an agent");
        await chooseRowAction(page, row, invitee.name, "Edit");
        const dialog = await visible(page.getByRole("dialog", { name: `Edit ${invitee.name}` }), "the edit dialog");
        const grant = dialog.getByRole("checkbox", { name: /^workspace\.members/ });
        assert(!(await grant.isChecked()), "the agent should not hold workspace.members yet");
        await grant.check();
        await snap("dialog");
        await dialog.getByRole("button", { name: "Save changes" }).click();
        await absent(page.getByRole("dialog"), "the edit dialog after saving");
        await visible(
          memberRow(page, invitee.email).getByText("workspace.members", { exact: true }),
          "the granted policy in the list",
        );
      },
    },
    {
      name: "after a reload the agent can invite",
      actor: "invitee",
      run: async (page, snap) => {
        await openMembers(page);
        await page.reload();
        const invite = await visible(page.getByRole("button", { name: "Invite member" }), "the Invite member button");
        await visible(page.getByRole("heading", { name: "Pending invitations" }), "the pending invitations");
        // Still no edit controls on the owner, and the dialog offers only what the agent holds.
        await visible(
          memberRow(page, owner.email).getByRole("button", { name: `What can ${owner.name} do?` }),
          "the what-can button on the owner",
        );
        await absent(
          memberRow(page, owner.email).getByRole("button", { name: /^Actions for / }),
          "an actions menu (Edit) on the owner",
        );
        await invite.click();
        const dialog = await visible(page.getByRole("dialog", { name: "Invite a member" }), "the invite dialog");
        const roles = await dialog.getByLabel("Role", { exact: true }).locator("option").allTextContents();
        assert(
          JSON.stringify(roles) === JSON.stringify(["Agent"]),
          `an agent should only be offered Agent, got ${JSON.stringify(roles)}`,
        );
        assert(
          await dialog.getByRole("checkbox", { name: /^lead\.read/ }).isEnabled(),
          "lead.read (held) should be grantable",
        );
        assert(
          await dialog.getByRole("checkbox", { name: /^lead\.manage/ }).isDisabled(),
          "lead.manage (not held) should be disabled",
        );
        await snap("dialog");
        // What it holds, it may grant: invite a third person as an agent that reads leads.
        await dialog.getByLabel("Email", { exact: true }).fill(thirdPerson);
        for (const checkbox of await dialog.getByRole("checkbox", { checked: true }).all()) await checkbox.uncheck();
        await dialog.getByRole("checkbox", { name: /^lead\.read/ }).check();
        await dialog.getByRole("button", { name: "Send invitation" }).click();
        await visible(
          page.getByRole("status").filter({ hasText: `Invitation sent to ${thirdPerson}` }),
          "the invitation-sent notice",
        );
      },
    },
    {
      name: "another account cannot accept someone else's invitation",
      actor: "owner",
      run: async (page) => {
        const link = await mailLink(
          page,
          thirdPerson,
          /\/invitations\/accept\?token=/,
          "the third person's invitation link",
        );
        await link.click();
        await atPath(page, "/invitations/accept");
        const explanation = await visible(
          page.getByTestId("invitation-other-account"),
          "the other-account explanation",
        );
        const text = (await explanation.textContent()) ?? "";
        assert(text.includes(owner.email) && text.includes(thirdPerson), "the explanation should name both addresses");
        await absent(page.getByRole("button", { name: "Accept invitation" }), "the Accept button");
        await visible(explanation.getByRole("button", { name: "Sign out" }), "the sign-out offer");
        await checkA11y(page, "an invitation for another account");
      },
    },
    {
      name: "the owner transfers ownership to the agent",
      actor: "owner",
      run: async (page, snap) => {
        await openMembers(page);
        await chooseRowAction(page, memberRow(page, invitee.email), invitee.name, "Transfer ownership");
        const dialog = await visible(
          page.getByRole("dialog", { name: "Transfer ownership" }),
          "the transfer confirmation",
        );
        const confirm = dialog.getByRole("button", { name: "Transfer ownership" });
        assert(await confirm.isDisabled(), "the transfer should wait for the typed email");
        await dialog.getByLabel(`Type ${invitee.email} to confirm`).fill("someone-else@example.test");
        assert(await confirm.isDisabled(), "a wrong email should not confirm the transfer");
        await dialog.getByLabel(`Type ${invitee.email} to confirm`).fill(invitee.email);
        await snap("confirm");
        await confirm.click();
        await visible(
          page.getByRole("status").filter({ hasText: `${invitee.name} now owns ${workspace.name}` }),
          "the transfer notice",
        );
        assert(
          /Owner/.test((await memberRow(page, invitee.email).textContent()) ?? ""),
          "the agent should now be the owner",
        );
        assert(
          /Admin/.test((await memberRow(page, owner.email).textContent()) ?? ""),
          "the former owner should now be an admin",
        );
        // An admin has no menu on the owner's row or its own: nothing to transfer from.
        await absent(
          page.getByRole("table", { name: "Members" }).getByRole("button", { name: /^Actions for / }),
          "transfer controls (a member's actions menu) for an admin",
        );
        // The admin can manage members, but not the new owner: the row says why instead of just
        // showing no Edit/Remove.
        await visible(
          memberRow(page, invitee.email).getByTestId("member-locked").filter({ hasText: "holds access you don't" }),
          "why the owner's row cannot be changed",
        );
        await checkA11y(page, "the members page of an admin after the transfer", { schemes: LIGHT_AND_DARK });
      },
    },
    {
      name: "the last owner cannot leave",
      actor: "invitee",
      run: async (page) => {
        await openMembers(page);
        await page.getByRole("button", { name: "Leave workspace" }).click();
        const dialog = await visible(page.getByRole("dialog"), "the leave confirmation");
        await dialog.getByRole("button", { name: "Leave workspace" }).click();
        await visible(dialog.locator('[data-error-code="CONFLICT"]'), "the last-owner refusal");
        assert(/last owner/i.test((await dialog.textContent()) ?? ""), "the refusal should say why");
        await checkA11y(page, "the leave dialog refusing the last owner");
        await dialog.getByRole("button", { name: "Cancel" }).click();
      },
    },
    {
      name: "the former owner leaves the workspace",
      actor: "owner",
      run: async (page) => {
        await page.getByRole("button", { name: "Leave workspace" }).click();
        await page.getByRole("dialog").getByRole("button", { name: "Leave workspace" }).click();
        await atPath(page, "/");
        await visible(page.getByRole("heading", { name: "Your workspaces" }), "the workspace list");
        await absent(page.getByRole("link", { name: workspace.name }), "the workspace that was left");
      },
    },
  ],
};
