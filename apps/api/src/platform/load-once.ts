// A module the request path never needs (a provider's SDK, the mailer, the password dictionaries)
// is imported at its first use, once per process, so an API that never sends a WhatsApp message
// or a mail does not hold its code (decision 0055, "memory": 3–8 MB of heap each).

/**
 * `load()` at the first call, its promise shared by every later call. A failed load is not kept:
 * the next call tries again (a transient failure does not disable a provider until a restart).
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    if (!loading) {
      const p = load();
      loading = p;
      p.catch(() => {
        if (loading === p) loading = undefined;
      });
    }
    return loading;
  };
}
