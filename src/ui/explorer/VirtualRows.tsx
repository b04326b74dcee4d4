import { useEffect, useRef, useState, type ReactNode } from 'react';
import { visibleRange } from './tree';

/**
 * A scrolling list that renders only the rows in view (plus a few either side), so a million
 * rows cost what forty do. Every row has the same height.
 */
export function VirtualRows({
  count,
  rowHeight,
  height,
  rowKey,
  render,
  onRange,
  testId,
}: {
  count: number;
  rowHeight: number;
  height: number;
  rowKey: (i: number) => string;
  render: (i: number) => ReactNode;
  /** The rows now in view changed (to fetch what they need, or load more). */
  onRange?: (start: number, end: number) => void;
  testId?: string;
}) {
  const [scrollTop, setScrollTop] = useState(0);
  const frame = useRef<number | null>(null);
  const { start, end } = visibleRange(scrollTop, height, rowHeight, count);
  useEffect(() => {
    onRange?.(start, end);
  }, [start, end, count, onRange]);
  useEffect(() => () => {
    if (frame.current !== null) cancelAnimationFrame(frame.current);
  }, []);
  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    rows.push(
      <div key={rowKey(i)} className="kx-vrow" style={{ transform: `translateY(${i * rowHeight}px)`, height: rowHeight }}>
        {render(i)}
      </div>,
    );
  }
  return (
    <div
      className="kx-scroll"
      style={{ height }}
      data-testid={testId}
      onScroll={(e) => {
        const top = e.currentTarget.scrollTop;
        // One render per frame however many scroll events arrive.
        if (frame.current !== null) cancelAnimationFrame(frame.current);
        frame.current = requestAnimationFrame(() => {
          frame.current = null;
          setScrollTop(top);
        });
      }}
    >
      <div className="kx-spacer" style={{ height: count * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
