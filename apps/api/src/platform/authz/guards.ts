// Every root field declares what it needs with exactly one of these decorators. The requirement
// is also written into the field's extensions (`auth`), which the permission snapshot test reads:
// a diff there is a permission change and is reviewed as one.
import { subject as asSubject } from "@casl/ability";
import type { Action, Subject } from "@atrium/policies";
import { Extensions, UseMiddleware, type MiddlewareFn } from "type-graphql";
import { forbidden, notFound, unauthenticated } from "../errors.ts";
import type { RequestContext, UserPrincipal } from "../graphql/context.ts";
import type { WorkspaceAccess } from "./access.ts";

function both(a: MethodDecorator, b: MethodDecorator): MethodDecorator {
  return (target, key, descriptor) => {
    a(target, key, descriptor);
    b(target, key, descriptor);
  };
}

export function requireUser(ctx: RequestContext): UserPrincipal {
  if (ctx.apiKey) throw forbidden("This operation needs a signed-in user; API keys cannot use it.");
  if (!ctx.principal) throw unauthenticated(ctx.authFailure ?? "SIGN_IN_REQUIRED");
  return ctx.principal;
}

/** A user or an API key. */
export function requireCaller(ctx: RequestContext): void {
  if (!ctx.principal && !ctx.apiKey) throw unauthenticated(ctx.authFailure ?? "SIGN_IN_REQUIRED");
}

/** Anyone, signed in or not. */
export const Public = (): MethodDecorator => Extensions({ auth: "public" });

/** Any signed-in user; no workspace involved. */
export const Authenticated = (): MethodDecorator =>
  both(
    Extensions({ auth: "authenticated" }),
    UseMiddleware(((({ context }, next) => {
      requireUser(context);
      return next();
    }) satisfies MiddlewareFn<RequestContext>)),
  );

/** API keys only (the public API): the key's own workspace, and its ability must allow it. */
export function ApiKeyCan(action: Action, subject: Exclude<Subject, "all">): MethodDecorator {
  const guard: MiddlewareFn<RequestContext> = async ({ context }, next) => {
    if (!context.apiKey) {
      if (context.principal) throw forbidden("This operation takes an API key (Authorization: Bearer atr_…).");
      throw unauthenticated(context.authFailure ?? "API_KEY_REQUIRED", "Send an API key: Authorization: Bearer atr_…");
    }
    const access = context.apiKey.access;
    if (!access.ability.can(action, asSubject(subject, { workspaceId: access.workspaceId }))) throw forbidden("This API key's scopes do not allow this.");
    return (await next()) as unknown;
  };
  return both(Extensions({ auth: `api-key ${action}:${subject}` }), UseMiddleware(guard));
}

/** Platform ADMIN (global role). Grants platform pages only, never workspace data (M8). */
export const PlatformAdmin = (): MethodDecorator =>
  both(
    Extensions({ auth: "platform-admin" }),
    UseMiddleware(((({ context }, next) => {
      if (requireUser(context).globalRole !== "ADMIN") throw forbidden("Only platform administrators can do this.");
      return next();
    }) satisfies MiddlewareFn<RequestContext>)),
  );

/**
 * A member of the workspace named by the argument `arg` (an id, or a slug with `by: "slug"`)
 * whose ability allows `action` on `subject` in that workspace. Non-members, unknown ids and
 * malformed ids all answer NOT_FOUND (never FORBIDDEN, which would confirm existence).
 */
export function Can(action: Action, subject: Exclude<Subject, "all">, opts: { arg?: string; by?: "id" | "slug" } = {}): MethodDecorator {
  const arg = opts.arg ?? (opts.by === "slug" ? "slug" : "workspaceId");
  const guard: MiddlewareFn<RequestContext> = async ({ context, args }, next) => {
    requireCaller(context);
    const value: unknown = (args as Record<string, unknown>)[arg];
    if (typeof value !== "string") throw notFound("Workspace");
    const access = opts.by === "slug" ? await context.access!.forSlug(value) : await context.access!.forWorkspace(value);
    if (!access) throw notFound("Workspace");
    // Type-level check (row conditions such as humanTakeover are the service's job on the
    // concrete row); the ability itself was built for this workspace only.
    if (!access.ability.can(action, subject)) throw forbidden();
    return (await next()) as unknown;
  };
  return both(Extensions({ auth: `${action}:${subject}` }), UseMiddleware(guard));
}

/** The caller's access to a workspace the guard has already let through (cached per request). */
export async function accessOf(ctx: RequestContext, workspaceId: string): Promise<WorkspaceAccess> {
  const access = await ctx.access?.forWorkspace(workspaceId);
  if (!access) throw notFound("Workspace");
  return access;
}
