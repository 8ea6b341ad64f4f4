/**
 * @jest-environment jsdom
 */
// The "Add a webhook endpoint" dialog in a DOM (jsdom): a URL the API would refuse is refused
// beside the field with @atrium/validation's sentence, and nothing is sent; what only the API can
// judge (a private address) comes back as BAD_USER_INPUT and shows in the same place.
import { type MockLink } from "@apollo/client/testing";
import { GraphQLError } from "graphql";

import { describe, expect, it } from "@atrium/test-kit";
import { WEBHOOK_URL_MESSAGES } from "@atrium/validation";

import { button, click, describedBy, field, renderWithApi, type } from "../../platform/testing/dom.tsx";
import { CreateWebhookEndpointDocument } from "./operations.ts";
import { CreateEndpointDialog } from "./webhooks-page.tsx";

interface Rendered {
  readonly created: { url: string; secret: string }[];
}

async function renderDialog(mocks: MockLink.MockedResponse[] = []): Promise<Rendered> {
  const rendered: Rendered = { created: [] };
  await renderWithApi(
    <CreateEndpointDialog
      workspaceId="w1"
      onClose={() => undefined}
      onCreated={(url, secret) => rendered.created.push({ url, secret })}
    />,
    mocks,
  );
  return rendered;
}

const submit = () => click(button("Add endpoint"));

describe("add a webhook endpoint", () => {
  it("refuses a URL the API would refuse, beside the field, and sends nothing", async () => {
    // No mocks: a request would fail with "No more mocked responses".
    const rendered = await renderDialog();
    expect(describedBy(field("URL"))).toEqual({ hint: "https://… on a public address." });

    await type(field("URL"), "example.com/webhooks");
    await submit();
    // The error replaces the hint (one instruction at a time), and is what the control is described by.
    expect(describedBy(field("URL"))).toEqual({ error: WEBHOOK_URL_MESSAGES.invalid });
    expect(field("URL").getAttribute("aria-invalid")).toBe("true");

    await type(field("URL"), "ftp://example.com/webhooks");
    expect(describedBy(field("URL"))).toEqual({ error: WEBHOOK_URL_MESSAGES.scheme });

    await type(field("URL"), "https://user:secret@example.com/webhooks");
    expect(describedBy(field("URL"))).toEqual({ error: WEBHOOK_URL_MESSAGES.credentials });

    await type(field("URL"), "https://example.com/webhooks");
    expect(describedBy(field("URL"))).toEqual({ hint: "https://… on a public address." });
    expect(rendered.created).toEqual([]);
    expect(document.querySelector('[role="alert"]')).toBeNull();
  });

  it("shows the API's verdict on the URL where its own would be", async () => {
    const serverMessage = "10.0.0.5 is a private address: webhooks go to public hosts only.";
    const rendered = await renderDialog([
      {
        request: {
          query: CreateWebhookEndpointDocument,
          variables: { workspaceId: "w1", input: { url: "https://intranet.example/hook", events: ["lead.created"] } },
        },
        delay: 0,
        // The service names the field with a token: the error's sentence is shown for it.
        result: {
          errors: [
            new GraphQLError(serverMessage, {
              extensions: { code: "BAD_USER_INPUT", fields: { url: "private address" } },
            }),
          ],
        },
      },
    ]);
    // Spaces around the URL are not part of it: the form trims them, as it sends.
    await type(field("URL"), "  https://intranet.example/hook ");
    await submit();

    expect(describedBy(field("URL"))).toEqual({ error: serverMessage });
    expect(document.querySelector('[role="alert"]')?.textContent).toBe("Please correct the highlighted fields.");
    expect(rendered.created).toEqual([]);
  });
});
