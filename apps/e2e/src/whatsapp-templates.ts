/**
 * Adding an approved WhatsApp template through the settings (issue 56). The fake Twilio accepts
 * any well-formed Content SID while none is registered, and records a template send's body as its
 * ContentVariables (JSON); the transcript shows the text Atrium rendered.
 */
import { type Page } from "playwright-core";

import { visible } from "./helpers.ts";

export interface E2eTemplate {
  readonly name: string;
  /** HX + 32 hex digits. */
  readonly sid: string;
  /** With {{1}}…; the editor fills {{1}} with the contact's first name by default. */
  readonly body: string;
  readonly opening: boolean;
}

export async function addWhatsAppTemplate(page: Page, slug: string, t: E2eTemplate): Promise<void> {
  await page.goto(`/w/${slug}/settings`);
  await page.getByRole("link", { name: "Manage WhatsApp templates" }).click();
  await visible(page.getByTestId("templates-explainer"), "why WhatsApp needs templates");
  const add = page.getByRole("button", { name: /^Add (the first )?template$/ });
  await add.first().click();
  const dialog = page.getByRole("dialog", { name: "Add a WhatsApp template" });
  await dialog.getByLabel("Name").fill(t.name);
  await dialog.getByLabel("Content SID").fill(t.sid);
  await dialog.getByLabel("Template text").fill(t.body);
  if (t.opening) await dialog.getByRole("switch", { name: "Use for the agent's opening message" }).click();
  await dialog.getByRole("button", { name: "Add template" }).click();
  await visible(
    page.getByTestId("message-template").filter({ hasText: t.name }),
    `the template “${t.name}” in the list`,
  );
}
