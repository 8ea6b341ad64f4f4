// Before every test file. Component tests run in jsdom (`@jest-environment jsdom`), which lacks
// the TextEncoder/TextDecoder that Node and browsers have and react-router uses: Node's are lent.
import { TextDecoder, TextEncoder } from "node:util";

globalThis.TextEncoder ??= TextEncoder;
globalThis.TextDecoder ??= TextDecoder;
