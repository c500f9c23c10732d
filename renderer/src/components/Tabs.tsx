// A tab list per the WAI-ARIA pattern: one tab stop, arrow keys move between tabs (and select them,
// since every panel is cheap to show), Home/End jump to the ends.
import { useRef, type KeyboardEvent } from 'react';

export interface TabItem<T extends string> {
  id: T;
  label: string;
}

export function Tabs<T extends string>(props: { label: string; items: readonly TabItem<T>[]; selected: T; onSelect(id: T): void }) {
  const refs = useRef(new Map<T, HTMLButtonElement>());
  const { items, selected, onSelect } = props;

  function onKeyDown(e: KeyboardEvent<HTMLButtonElement>, index: number) {
    const last = items.length - 1;
    const next = e.key === 'ArrowRight' ? (index === last ? 0 : index + 1) : e.key === 'ArrowLeft' ? (index === 0 ? last : index - 1) : e.key === 'Home' ? 0 : e.key === 'End' ? last : null;
    if (next === null) return;
    e.preventDefault();
    const id = items[next]!.id;
    onSelect(id);
    refs.current.get(id)?.focus();
  }

  return (
    <div role="tablist" aria-label={props.label} className="tabs">
      {items.map((item, i) => (
        <button
          key={item.id}
          ref={(el) => {
            if (el) refs.current.set(item.id, el);
            else refs.current.delete(item.id);
          }}
          role="tab"
          type="button"
          id={`tab-${item.id}`}
          aria-selected={item.id === selected}
          // Only the selected panel is in the page; pointing at absent ones would be a dangling reference.
          aria-controls={item.id === selected ? `panel-${item.id}` : undefined}
          tabIndex={item.id === selected ? 0 : -1}
          className="tab"
          onClick={() => onSelect(item.id)}
          onKeyDown={(e) => onKeyDown(e, i)}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
