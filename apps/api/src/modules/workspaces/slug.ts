// W1 slugs: the rule and its messages are @atrium/validation's (shared with the web form); the API
// adds the verdict as it reports it.
import { problemOf, workspaceSlug } from "@atrium/validation";

export { RESERVED_SLUGS, SLUG_MAX, SLUG_MIN, SLUG_RE, deriveSlug, slugCandidate } from "@atrium/validation";

/** A reason the slug is unusable, or null when it is valid. */
export function slugProblem(slug: string): string | null {
  return problemOf(workspaceSlug, slug) ?? null;
}
