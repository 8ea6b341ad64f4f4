/**
 * Boxes that scroll their content instead of stretching the page: a wide table at 390 px, a long
 * request body. Text cannot take focus, so without help such a box scrolls for a mouse or a
 * finger but not from the keyboard (WCAG 2.1.1; axe's scrollable-region-focusable). While its
 * content overflows, the box is therefore focusable and a named region: Tab reaches it, the arrow
 * keys scroll it, a screen reader says what it holds. When everything fits it stays a plain box,
 * so a desktop page gets no extra tab stops.
 */
import { useCallback, useLayoutEffect, useRef, useState, type ReactNode, type Ref } from "react";

function useScrollRegion<T extends HTMLElement>(label: string) {
  const ref = useRef<T>(null);
  const [overflows, setOverflows] = useState(false);
  useLayoutEffect(() => {
    const box = ref.current;
    // jsdom (component tests) has no layout and no ResizeObserver: nothing overflows there.
    if (box === null || typeof ResizeObserver === "undefined") return;
    const measure = () =>
      setOverflows(box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1);
    measure();
    // The box resizes with the window; its content (the table) grows with rows and text.
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    for (const child of Array.from(box.children)) observer.observe(child);
    return () => observer.disconnect();
  }, []);
  return { ref, regionProps: overflows ? { tabIndex: 0, role: "region", "aria-label": label } : {} };
}

/** Wraps a table (`label`: what the table lists, e.g. its own aria-label). */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  const { ref, regionProps } = useScrollRegion<HTMLDivElement>(label);
  return (
    <div ref={ref} className="table-wrap" {...regionProps}>
      {children}
    </div>
  );
}

/** Preformatted text (a request or response body) in a box of limited height. */
export function CodeBlock({ label, children }: { label: string; children: ReactNode }) {
  const { ref, regionProps } = useScrollRegion<HTMLPreElement>(label);
  return (
    <pre ref={ref} className="code-block" {...regionProps}>
      {children}
    </pre>
  );
}

/**
 * A box of limited height that scrolls what it holds (a transcript beside a list): `children`
 * should be one element that grows with the content, so the box notices it overflowing.
 */
export function ScrollRegion({
  label,
  className,
  children,
  ref,
}: {
  label: string;
  className?: string;
  children: ReactNode;
  ref?: Ref<HTMLDivElement>;
}) {
  const { ref: own, regionProps } = useScrollRegion<HTMLDivElement>(label);
  const setRef = useCallback(
    (node: HTMLDivElement | null) => {
      own.current = node;
      if (typeof ref === "function") ref(node);
      else if (ref != null) ref.current = node;
    },
    [own, ref],
  );
  return (
    <div ref={setRef} className={className} {...regionProps}>
      {children}
    </div>
  );
}
