/**
 * `t()` typed from the English texts (decision 0045): a key that is not in
 * locales/en/<namespace>.json is a type error. Spanish has the same keys (catalog.test.ts).
 */
import "i18next";

import { type en } from "./en.ts";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "common";
    resources: typeof en;
    returnNull: false;
  }
}
