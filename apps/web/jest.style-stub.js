// A stylesheet imported by a component (`import "./x.css"`) under Jest: nothing (jsdom lays
// nothing out), so component tests can render pages that bring their own styles.
export {};
