/**
 * The playground's "Examples" panel (issue 51): the main tasks of an integration, each opened in
 * a new editor tab with its variables and headers.
 */
import { useGraphiQL, useGraphiQLActions, type GraphiQLPlugin } from "@graphiql/react";
import { BookOpenText } from "lucide-react";
import { useTranslation } from "react-i18next";

import { Button } from "../../platform/ui/index.ts";
import { PLAYGROUND_EXAMPLES, type PlaygroundExample } from "./examples.ts";

function ExamplesPanel({ workspaceId }: { workspaceId: string | undefined }) {
  const { t } = useTranslation("playground");
  const actions = useGraphiQLActions();
  // One selector per editor: a selector returning a new object each time would re-render forever.
  const queryEditor = useGraphiQL((state) => state.queryEditor);
  const variableEditor = useGraphiQL((state) => state.variableEditor);
  const headerEditor = useGraphiQL((state) => state.headerEditor);
  const open = (example: PlaygroundExample) => {
    actions.addTab();
    // The new tab's editors are the same Monaco editors, emptied: fill them once the tab is in.
    setTimeout(() => {
      queryEditor?.setValue(example.query);
      // GraphiQL reads the operation's name from the editor after a pause; the run button must
      // not send the previous tab's name with this text meanwhile.
      const name = /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(example.query)?.[1];
      if (name !== undefined) actions.setOperationName(name);
      variableEditor?.setValue(JSON.stringify(example.variables(workspaceId), null, 2));
      headerEditor?.setValue(example.headers === undefined ? "" : JSON.stringify(example.headers, null, 2));
    }, 0);
  };
  return (
    <section className="playground-examples" aria-labelledby="playground-examples-title">
      <h2 id="playground-examples-title" className="graphiql-doc-explorer-title">
        {t("examples.title")}
      </h2>
      <ul>
        {PLAYGROUND_EXAMPLES.map((example) => (
          <li key={example.id}>
            <h3>{t(`examples.${example.id}.title`)}</h3>
            <p>{t(`examples.${example.id}.description`)}</p>
            <Button variant="bare" className="graphiql-button" onClick={() => open(example)}>
              {t("examples.open", { title: t(`examples.${example.id}.title`) })}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function examplesPlugin(title: string, workspaceId: string | undefined): GraphiQLPlugin {
  return {
    title,
    icon: () => <BookOpenText aria-hidden="true" size={20} />,
    content: () => <ExamplesPanel workspaceId={workspaceId} />,
  };
}
