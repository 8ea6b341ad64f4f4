// WhatsApp templates (issue 56): approved Twilio Content templates a workspace sends outside the
// 24-hour window — the agent's opening message, campaigns, and a person's message to a contact
// who has not written for a day.
import { Field, GraphQLISODateTime, ID, InputType, ObjectType } from "type-graphql";

import { TEMPLATE_BODY_MAX, TEMPLATE_FIELDS, TEMPLATE_NAME_MAX, TEMPLATE_VARIABLES_MAX } from "@atrium/validation";

@ObjectType("MessageTemplate", { description: "An approved WhatsApp template (a Twilio Content template)." })
export class MessageTemplateView {
  @Field(() => ID, { description: "The template's ID." }) id!: string;
  @Field(() => String, { description: "Unique in the workspace." }) name!: string;
  @Field(() => String, { description: "Twilio's Content SID (HX + 32 hex digits)." }) contentSid!: string;
  @Field(() => String, { description: "The approved text, with {{1}}…{{n}} placeholders." }) body!: string;
  @Field(() => [String], { description: `The field filling each placeholder in order: ${TEMPLATE_FIELDS.join(", ")}.` })
  variables!: string[];
  @Field(() => Boolean, { description: "The agent's opening message to new leads (at most one template)." })
  useForOpening!: boolean;
  @Field(() => GraphQLISODateTime, { description: "When it was added (ISO 8601, UTC)." }) createdAt!: Date;
}

@InputType({ description: "A WhatsApp template as approved in Twilio." })
export class MessageTemplateInput {
  @Field(() => String, { description: `At most ${TEMPLATE_NAME_MAX} characters; unique in the workspace.` })
  name!: string;
  @Field(() => String, { description: "Twilio's Content SID: HX followed by 32 hexadecimal digits." })
  contentSid!: string;
  @Field(() => String, {
    description: `The approved text, at most ${TEMPLATE_BODY_MAX} characters, placeholders {{1}}…{{n}} (n ≤ ${TEMPLATE_VARIABLES_MAX}).`,
  })
  body!: string;
  @Field(() => [String], { description: `One field per placeholder, in order: ${TEMPLATE_FIELDS.join(", ")}.` })
  variables!: string[];
  @Field(() => Boolean, {
    nullable: true,
    description: "Use it for the agent's opening message (replaces the previous choice). Default false.",
  })
  useForOpening?: boolean | null;
}
