import { useId, type ReactElement } from 'react';

/** A labelled control. The label points at the control by id (not by wrapping it), so its
 *  accessible name is just the label, not the label plus the control's current value. */
export function Field(props: { label: string; grow?: boolean; children: (id: string) => ReactElement }) {
  const id = useId();
  return (
    <div className={props.grow ? 'field field-grow' : 'field'}>
      <label className="control-label" htmlFor={id}>
        {props.label}
      </label>
      {props.children(id)}
    </div>
  );
}
