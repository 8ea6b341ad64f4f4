import { ApolloProvider } from "@apollo/client/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router/dom";

import { StepUpPrompt } from "./features/step-up/step-up-prompt.tsx";
import { initI18n } from "./i18n/index.ts";
import { createApolloClient } from "./platform/apollo.ts";
import { signInPath } from "./platform/session.tsx";
import { createAppRouter, preloadWorkspaceRoute } from "./routes/router.tsx";

import "./fonts.css";
import "./styles.css";
import "./platform/ui/data-table.css";

const router = createAppRouter();

const client = createApolloClient({
  onSessionExpired: (reason) => {
    const { pathname, search } = router.state.location;
    if (pathname === "/signin") return;
    void client.clearStore();
    void router.navigate(signInPath(`${pathname}${search}`, reason), { replace: true });
  },
});

const container = document.getElementById("root");
if (container === null) throw new Error("index.html has no #root element");

// The page's language first (decision 0045): Spanish is its own chunk, loaded before the first
// render so a Spanish page never shows English in between.
void initI18n().then(() => {
  createRoot(container).render(
    <StrictMode>
      <ApolloProvider client={client}>
        <StepUpPrompt />
        <RouterProvider router={router} />
      </ApolloProvider>
    </StrictMode>,
  );
  // A workspace URL: its code and the shell's query asked beside `me` (decision 0044), once the
  // first frame ("Loading…") is painted: ~40 module preloads inserted before it delayed it.
  requestAnimationFrame(() => setTimeout(() => preloadWorkspaceRoute(window.location.pathname, client), 0));
});
