import { existsSync } from "node:fs";
import { type CodegenConfig } from "@graphql-codegen/cli";
import { addTypenameSelectionDocumentTransform } from "@graphql-codegen/client-preset";

// The API emits and commits apps/api/schema.graphql; until it exists, fall back to the draft.
const schema = ["../api/schema.graphql", "../api/schema.draft.graphql"].find((path) => existsSync(path));
if (schema === undefined) throw new Error("No GraphQL schema found in ../api (schema.graphql or schema.draft.graphql)");

const config: CodegenConfig = {
  schema,
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "./src/gql/": {
      preset: "client",
      presetConfig: {
        fragmentMasking: false,
        // Emits src/gql/persisted-documents.json (hash -> document): the trusted-documents
        // manifest (SPEC A3). Hashes are embedded in each document, which stays complete.
        persistedDocuments: true,
      },
      // Apollo Client adds __typename to every selection set before sending; do the same here
      // so the manifest holds exactly the documents the browser sends.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        defaultScalarType: "unknown",
        scalars: { DateTimeISO: "string" },
        nonOptionalTypename: true,
        skipTypeNameForRoot: true,
      },
    },
  },
};

export default config;
