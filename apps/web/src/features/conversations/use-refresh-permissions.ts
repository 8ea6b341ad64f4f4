import { useApolloClient } from "@apollo/client/react";
import { useCallback } from "react";

/**
 * After a FORBIDDEN: the workspace's permissions are read again (the workspace shell's query), so
 * the whole page follows the viewer's current role instead of offering what was refused.
 */
export function useRefreshPermissions(): () => void {
  const client = useApolloClient();
  return useCallback(() => {
    void Promise.resolve(client.refetchQueries({ include: ["WorkspaceHome"] })).catch(() => undefined);
  }, [client]);
}
