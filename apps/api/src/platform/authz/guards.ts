// Every root field declares what it needs with exactly one of these decorators. The requirement
// is also written into the field's extensions (`auth`), which the permission snapshot test reads:
// a diff there is a permission change and is reviewed as one.
import { subject as asSubject } from "@casl/ability";
import {
  createParameterDecorator,
  Extensions,
  UseMiddleware,
  type MiddlewareFn,
  type ResolverData,
} from "type-graphql";

import type { Action, Subject } from "@atrium/policies";

import { AppError, ErrorCode, forbidden, notFound, unauthenticated } from "../errors.ts";
import type { RequestContext, UserPrincipal } from "../graphql/context.ts";
import { noteGrantedWorkspace } from "../observability/request-log.ts";
import type { WorkspaceAccess } from "./access.ts";

type FieldInfo = ResolverData<RequestContext>["info"];

/**
 * Runs a workspace operation the type-level check let through, and records a FORBIDDEN it ends
 * with (a row-level refusal in the service) in the denial log, like a refusal of the guard.
 */
async function recordingDenials(
  context: RequestContext,
  access: WorkspaceAccess,
  info: FieldInfo,
  required: string,
  next: () => Promise<unknown>,
): Promise<unknown> {
  try {
    return await next();
  } catch (err) {
    if (err instanceof AppError && err.code === ErrorCode.FORBIDDEN) {
      await context.services.accessExplainer.recordDenial(access, context.actor, {
        operation: operationOf(info),
        required,
        message: err.message,
      });
    }
    throw err;
  }
}

/** The field a denial is recorded for ("Mutation.submitLead"): named only when one is recorded. */
const operationOf = (info: FieldInfo) => `${info.parentType.name}.${info.fieldName}`;

async function deny(
  context: RequestContext,
  access: WorkspaceAccess,
  info: FieldInfo,
  required: string,
  message?: string,
): Promise<never> {
  const err = forbidden(message);
  await context.services.accessExplainer.recordDenial(access, context.actor, {
    operation: operationOf(info),
    required,
    message: err.message,
  });
  throw err;
}

function both(a: MethodDecorator, b: MethodDecorator): MethodDecorator {
  return (target, key, descriptor) => {
    a(target, key, descriptor);
    b(target, key, descriptor);
  };
}

const SIGNED_IN_ONLY = "This operation needs a signed-in user; API keys cannot use it.";

export function requireUser(ctx: RequestContext): UserPrincipal {
  if (ctx.apiKey) throw forbidden(SIGNED_IN_ONLY);
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
    UseMiddleware((({ context }, next) => {
      requireUser(context);
      return next();
    }) satisfies MiddlewareFn<RequestContext>),
  );

/** API keys only (the public API): the key's own workspace, and its ability must allow it. */
export function ApiKeyCan(action: Action, subject: Exclude<Subject, "all">): MethodDecorator {
  const required = `${action}:${subject}`;
  const guard: MiddlewareFn<RequestContext> = async (data, next) => {
    const { context, info } = data;
    if (!context.apiKey) {
      if (context.principal) throw forbidden("This operation takes an API key (Authorization: Bearer atr_…).");
      throw unauthenticated(context.authFailure ?? "API_KEY_REQUIRED", "Send an API key: Authorization: Bearer atr_…");
    }
    const access = context.apiKey.access;
    if (!access.ability.can(action, asSubject(subject, { workspaceId: access.workspaceId })))
      await deny(context, access, info, required, "This API key's scopes do not allow this.");
    grant(data, access);
    return recordingDenials(context, access, info, required, next);
  };
  return both(Extensions({ auth: `api-key ${required}` }), UseMiddleware(guard));
}

/** Platform ADMIN (global role). Grants platform pages only, never workspace data (M8). */
export const PlatformAdmin = (): MethodDecorator =>
  both(
    Extensions({ auth: "platform-admin" }),
    UseMiddleware((({ context }, next) => {
      if (requireUser(context).globalRole !== "ADMIN") throw forbidden("Only platform administrators can do this.");
      return next();
    }) satisfies MiddlewareFn<RequestContext>),
  );

/**
 * A member of the workspace named by the argument `arg` (an id, or a slug with `by: "slug"`)
 * whose ability allows `action` on `subject` in that workspace. Non-members, unknown ids and
 * malformed ids all answer NOT_FOUND (never FORBIDDEN, which would confirm existence).
 * `signedIn`: a signed-in user only — the operations that act on a person's own membership or
 * credentials, or that lower the bar for people (leave, mint a key in the person's name, the
 * step-up requirement), are refused to API keys whatever their scopes (issue 55).
 */
export function Can(
  action: Action,
  subject: Exclude<Subject, "all">,
  opts: { arg?: string; by?: "id" | "slug"; signedIn?: boolean } = {},
): MethodDecorator {
  const arg = opts.arg ?? (opts.by === "slug" ? "slug" : "workspaceId");
  const required = `${action}:${subject}`;
  const guard: MiddlewareFn<RequestContext> = async (data, next) => {
    const { context, args, info } = data;
    requireCaller(context);
    const value: unknown = (args as Record<string, unknown>)[arg];
    const access =
      typeof value !== "string"
        ? null
        : opts.by === "slug"
          ? await context.access!.forSlug(value)
          : await context.access!.forWorkspace(value);
    if (!access) {
      // Counted per IP (one counter row per IP and hour), never stored per request.
      await context.services.accessExplainer.countProbe(context.actor.ip);
      throw notFound("Workspace");
    }
    // Type-level check (row conditions such as humanTakeover are the service's job on the
    // concrete row); the ability itself was built for this workspace only.
    if (!access.ability.can(action, subject)) await deny(context, access, info, required);
    // After the workspace lookup, so a key naming another workspace still reads NOT_FOUND.
    if (opts.signedIn && context.apiKey) await deny(context, access, info, required, SIGNED_IN_ONLY);
    grant(data, access);
    return recordingDenials(context, access, info, required, next);
  };
  // `workspaceArg` lets the generated permission matrices find the workspace argument; `principal`
  // marks the operations an API key may never call, whatever its scopes.
  return both(
    Extensions({
      auth: required,
      workspaceArg: arg,
      workspaceBy: opts.by ?? "id",
      ...(opts.signedIn ? { principal: "user" } : {}),
    }),
    UseMiddleware(guard),
  );
}

/**
 * The workspace access a guard (`@Can`, `@ApiKeyCan`) resolved and let through, per field
 * resolution. type-graphql hands the same ResolverData object to the field's middlewares and then
 * to its parameter decorators, so the guard's answer reaches the resolver without being looked up
 * again — and cannot be a different workspace's.
 */
const kGranted = Symbol("atrium.grantedAccess");
type Granted = ResolverData<RequestContext> & { [kGranted]?: WorkspaceAccess };
/** Kept on the ResolverData itself, not in a WeakMap keyed by it (V8's scavenges keep a young key's entry alive). */
const grant = (data: ResolverData<RequestContext>, access: WorkspaceAccess): void => {
  (data as Granted)[kGranted] = access;
  // The request's log line names the workspace the guard let it into.
  noteGrantedWorkspace(data.context.request, access.workspaceId);
};

/**
 * `@GrantedAccess() access: WorkspaceAccess` — the access the field's `@Can` / `@ApiKeyCan` guard
 * resolved (the workspace named by its argument, the membership or key, the ability). On a field
 * without such a guard it is a programming error, answered as an internal error, never as access.
 */
export function GrantedAccess(): ReturnType<typeof createParameterDecorator> {
  return createParameterDecorator<RequestContext>((data) => {
    const access = (data as Granted)[kGranted];
    if (!access)
      throw new Error(
        `@GrantedAccess() on ${data.info.parentType.name}.${data.info.fieldName}, which has no @Can or @ApiKeyCan guard`,
      );
    return access;
  });
}
