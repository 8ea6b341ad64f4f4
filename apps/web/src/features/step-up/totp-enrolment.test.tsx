/**
 * @jest-environment jsdom
 */
// Setting up an authenticator app (issue 56, item 10): the QR code of the otpauth URL is drawn on
// the page (an SVG path from `qrcode`'s matrix; no <img>, nothing fetched) beside the key.
import { type MockLink } from "@apollo/client/testing";
import { create } from "qrcode";

import { describe, expect, it } from "@atrium/test-kit";

import { button, click, renderWithApi, until } from "../../platform/testing/dom.tsx";
import { EnrollTotpDocument } from "../account/operations.ts";
import { TotpEnrolment } from "./totp-enrolment.tsx";
import { qrPath } from "./totp-qr-code.tsx";

const SECRET = "JBSWY3DPEHPK3PXP";
const URL_ = `otpauth://totp/Atrium:ada%40example.com?secret=${SECRET}&period=30&digits=6&algorithm=SHA1&issuer=Atrium`;

const darkModules = (text: string) => {
  const { modules } = create(text, { errorCorrectionLevel: "M" });
  let n = 0;
  for (let row = 0; row < modules.size; row++)
    for (let col = 0; col < modules.size; col++) if (modules.get(row, col)) n++;
  return { n, size: modules.size };
};

describe("authenticator app enrolment", () => {
  it("draws one square per dark module of the QR code, inside a 4-module quiet zone", () => {
    const { d, size } = qrPath(URL_);
    const expected = darkModules(URL_);
    expect(d.match(/M/g)).toHaveLength(expected.n);
    expect(size).toBe(expected.size + 8);
    expect(d.startsWith("M4 4h1v1h-1z")).toBe(true); // the top-left finder pattern's corner
    expect(qrPath(`${URL_}x`).d).not.toBe(d);
  });

  it("shows the QR code beside the key once the enrolment starts, with no image from anywhere", async () => {
    const mocks: MockLink.MockedResponse[] = [
      {
        request: { query: EnrollTotpDocument },
        delay: 0,
        result: { data: { enrollTotp: { __typename: "TotpEnrollment", secret: SECRET, otpauthUrl: URL_ } } },
      },
    ];
    const page = await renderWithApi(<TotpEnrolment onEnabled={() => undefined} />, mocks);
    expect(page.querySelector('[data-testid="totp-qr-code"]')).toBeNull();
    await click(button("Set up an authenticator app"));
    await until(() => page.querySelector('[data-testid="totp-qr-code"]') !== null);

    const qr = page.querySelector('[data-testid="totp-qr-code"]')!;
    expect(qr.tagName.toLowerCase()).toBe("svg");
    expect(qr.getAttribute("role")).toBe("img");
    expect(qr.getAttribute("aria-label")).toMatch(/QR code/);
    expect(qr.querySelector("path")?.getAttribute("d")).toBe(qrPath(URL_).d);
    expect(page.querySelector('[data-testid="totp-secret"]')?.textContent).toBe(SECRET);
    expect(page.querySelector("img")).toBeNull();
  });
});
