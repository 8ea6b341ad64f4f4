import { describe, expect, it } from "@atrium/test-kit";

import { renderTemplate, templateProblem } from "./campaign-template.ts";

describe("campaign templates", () => {
  it("renders known variables, with or without spaces inside the braces", () => {
    expect(
      renderTemplate("Hi {{firstName}}, {{ name }} <{{email}}> {{phone}}", {
        name: "Jane Doe",
        email: null,
        phone: "+15550001",
      }),
    ).toBe("Hi Jane, Jane Doe <> +15550001");
  });

  it("accepts plain text and known variables", () => {
    expect(templateProblem("Hello there")).toBeNull();
    expect(templateProblem("Hello {{name}}")).toBeNull();
  });

  it("refuses unknown variables and stray braces, naming the problem", () => {
    expect(templateProblem("Hi {{nmae}}")).toMatch(/Unknown variable \{\{nmae\}\}/);
    expect(templateProblem("Hi {{name")).toMatch(/not closed/);
    expect(templateProblem("Hi name}}")).toMatch(/not closed/);
    expect(templateProblem("Hi {{ }}")).toMatch(/not closed/);
  });
});
