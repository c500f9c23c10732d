// A small choice among a few options, drawn as joined buttons but built from native radios, so
// arrow keys, focus and screen readers behave as for any radio group.
import { useId } from 'react';

export function Segmented<T extends string>(props: { legend: string; options: readonly { value: T; label: string }[]; value: T; onChange(v: T): void }) {
  const name = useId();
  return (
    <fieldset className="segmented">
      <legend className="control-label">{props.legend}</legend>
      <div className="segmented-options">
        {props.options.map((o) => (
          <label key={o.value} className={props.value === o.value ? 'seg seg-on' : 'seg'}>
            <input type="radio" name={name} value={o.value} checked={props.value === o.value} onChange={() => props.onChange(o.value)} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
