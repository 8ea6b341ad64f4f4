// Every GraphQL answer is data of one principal: no cache may keep it. Apollo's default cache-control
// plugin says so (`cache-control: no-store`, as no field carries a cache hint), but to collect the
// hints it wraps every field resolver of the schema and calls a hook per field resolved: ~4 % of
// the main thread on a 20-row list (decision 0014, addendum 18). The header is set here instead,
// once per response; the plugin is turned off.
import { type ApolloServerPlugin, type BaseContext } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";

const noStore: ApolloServerPlugin<BaseContext> = {
  requestDidStart: () =>
    Promise.resolve({
      willSendResponse: ({ response }) => {
        response.http.headers.set("cache-control", "no-store");
        return Promise.resolve();
      },
    }),
};

/** In an ApolloServer's `plugins`: `cache-control: no-store` on every answer, no per-field hooks. */
export function noStoreResponses(): ApolloServerPlugin<BaseContext>[] {
  return [ApolloServerPluginCacheControlDisabled(), noStore];
}
