// A user's own preferences (issue 48, decision 0040): colour theme and interface language.
import { IsOptional } from "class-validator";
import { Field, InputType, ObjectType, registerEnumType } from "type-graphql";

import { localeChoice } from "@atrium/validation";

import { Conforms } from "../../platform/validation.ts";

export enum ThemePreference {
  SYSTEM = "SYSTEM",
  LIGHT = "LIGHT",
  DARK = "DARK",
}
registerEnumType(ThemePreference, {
  name: "ThemePreference",
  description:
    "The web app's colour theme: SYSTEM follows the device's light or dark setting; LIGHT and DARK are fixed.",
  valuesConfig: {
    DARK: { description: "Always dark." },
    LIGHT: { description: "Always light." },
    SYSTEM: { description: "Follows the device's light or dark setting." },
  },
});

@ObjectType("UserPreferences", { description: "The signed-in user's own preferences for the web app." })
export class UserPreferencesView {
  @Field(() => ThemePreference, { description: "The web app's colour theme." }) theme!: ThemePreference;
  @Field(() => String, {
    nullable: true,
    description: 'The interface language ("en", "es"); null follows the browser\'s language.',
  })
  locale!: string | null;
}

@InputType({ description: "The signed-in user's preferences; a field left out stays as it is." })
export class UpdatePreferencesInput {
  @Field(() => ThemePreference, { nullable: true, description: "Left out: unchanged." })
  @IsOptional()
  theme?: ThemePreference | null;

  @Field(() => String, {
    nullable: true,
    description: '"en" or "es"; null follows the browser again; left out: unchanged.',
  })
  @IsOptional()
  @Conforms(localeChoice)
  locale?: string | null;
}
