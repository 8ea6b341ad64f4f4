import { Field, ID, ObjectType, registerEnumType } from "type-graphql";

export enum SearchHitKind {
  LEAD = "LEAD",
  CONTACT = "CONTACT",
  CONVERSATION = "CONVERSATION",
}
registerEnumType(SearchHitKind, {
  name: "SearchHitKind",
  description: "What a search hit is: a lead, a contact or a conversation (issue 48).",
  valuesConfig: {
    CONTACT: { description: "A contact." },
    CONVERSATION: { description: "A conversation." },
    LEAD: { description: "A lead." },
  },
});

@ObjectType({ description: "One row the command palette found: its kind, id, what to show and the id to open." })
export class SearchHit {
  @Field(() => SearchHitKind, { description: "Lead, contact or conversation." })
  kind!: SearchHitKind;

  @Field(() => ID, { description: "The lead's, contact's or conversation's id." })
  id!: string;

  @Field(() => String, { description: "The lead's or contact's name; for a conversation, its contact's." })
  title!: string;

  @Field(() => String, { nullable: true, description: "The phone number, else the e-mail address, when there is one." })
  subtitle!: string | null;
}
