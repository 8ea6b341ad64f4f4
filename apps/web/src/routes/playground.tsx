import { Suspense, lazy } from "react";

// GraphiQL and Monaco are large: only the playground loads them.
const Playground = lazy(() => import("../features/playground/playground.tsx"));

export function PlaygroundRoute() {
  return (
    <Suspense
      fallback={
        <>
          <title>Playground · Atrium</title>
          <p className="page-status">Loading the playground…</p>
        </>
      }
    >
      <Playground />
    </Suspense>
  );
}
