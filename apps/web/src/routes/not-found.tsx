import { Link } from "react-router";
import { Page } from "../platform/page.tsx";

export function NotFoundPage() {
  return (
    <Page title="Page not found">
      <p>There is nothing at this address.</p>
      <Link to="/">Go to your workspaces</Link>
    </Page>
  );
}
