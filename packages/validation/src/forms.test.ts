import { describe, expect, it } from "@atrium/test-kit";

import { EMAIL_MESSAGES } from "./email.ts";
import { PASSWORD_MESSAGES, PERSONA_MESSAGES } from "./fields.ts";
import {
  agentPersonaForm,
  contactForm,
  createWorkspaceForm,
  inviteMemberForm,
  phoneNumberForm,
  signInForm,
  signUpForm,
  workspaceDetailsForm,
} from "./forms.ts";
import { PHONE_MESSAGES } from "./phone.ts";
import { fieldProblems } from "./problems.ts";
import { SLUG_MESSAGES } from "./slug.ts";

describe("form schemas", () => {
  it("sign-up reports every field at once, keyed like the GraphQL input", () => {
    expect(fieldProblems(signUpForm, { name: "Ada", email: "ada@example.com", password: "correct-horse" })).toEqual({});
    expect(fieldProblems(signUpForm, { name: " ", email: "not-an-email", password: "short" })).toEqual({
      name: "Enter your name.",
      email: EMAIL_MESSAGES.invalid,
      password: PASSWORD_MESSAGES.tooShort,
    });
  });

  it("sign-in and invitations need an address (and a password to sign in)", () => {
    expect(fieldProblems(signInForm, { email: "ada@example.com", password: "x" })).toEqual({});
    expect(fieldProblems(signInForm, { email: "", password: "" })).toEqual({
      email: EMAIL_MESSAGES.invalid,
      password: PASSWORD_MESSAGES.required,
    });
    expect(fieldProblems(inviteMemberForm, { email: "bob@" })).toEqual({ email: EMAIL_MESSAGES.invalid });
  });

  it("create workspace: an empty slug is derived, a chosen one is checked", () => {
    expect(fieldProblems(createWorkspaceForm, { name: "Acme", slug: "", description: "" })).toEqual({});
    expect(fieldProblems(createWorkspaceForm, { name: "", slug: "admin", description: "d".repeat(501) })).toEqual({
      name: "Enter a name.",
      slug: SLUG_MESSAGES.reserved("admin"),
      description: "Descriptions are at most 500 characters.",
    });
  });

  it("settings: name and address need a slug; persona checks every question", () => {
    expect(fieldProblems(workspaceDetailsForm, { name: "Acme", slug: "", description: "" })).toEqual({
      slug: SLUG_MESSAGES.length,
    });
    expect(
      fieldProblems(agentPersonaForm, {
        agentName: "Ava",
        agentRole: "Sales",
        tone: "FRIENDLY",
        qualificationQuestions: ["Budget?"],
      }),
    ).toEqual({});
    expect(
      fieldProblems(agentPersonaForm, {
        agentName: "",
        agentRole: " ",
        tone: "LOUD",
        qualificationQuestions: ["", "ok"],
      }),
    ).toEqual({
      agentName: PERSONA_MESSAGES.agentNameBlank,
      agentRole: PERSONA_MESSAGES.agentRoleBlank,
      tone: PERSONA_MESSAGES.tone,
      "qualificationQuestions.0": PERSONA_MESSAGES.questionBlank,
    });
  });

  it("phone numbers and contacts", () => {
    expect(fieldProblems(phoneNumberForm, { number: "+1 555 000 9999", label: "Sales line" })).toEqual({});
    expect(fieldProblems(phoneNumberForm, { number: "555", label: "" })).toEqual({
      number: PHONE_MESSAGES.invalid,
      label: "Enter a label.",
    });
    expect(fieldProblems(contactForm, { name: "Ada", email: "", phone: "", tags: "" })).toEqual({});
    expect(fieldProblems(contactForm, { name: "Ada", email: "ada@", phone: "12345", tags: "vip" })).toEqual({
      email: EMAIL_MESSAGES.invalid,
      phone: PHONE_MESSAGES.invalid,
    });
  });
});
