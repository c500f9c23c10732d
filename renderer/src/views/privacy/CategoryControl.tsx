// One consent category: a radio group off / on this device only / share. Native radios give the
// arrow-key behaviour people expect; the change is saved at once and its effect said next to it.
import { useId, useState } from 'react';
import { JsonBlock } from '../../components/JsonBlock';
import { useApp } from '../../store/app-store';
import { CONSENT_LEVELS, type Category, type ConsentLevel } from '../../transport/contract';
import { CATEGORY_TEXT, LEVEL_TEXT } from './categories';

export function CategoryControl(props: { category: Category; level: ConsentLevel }) {
  const { category, level } = props;
  const text = CATEGORY_TEXT[category];
  const setConsent = useApp((s) => s.setConsent);
  const [saving, setSaving] = useState<ConsentLevel | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  async function choose(next: ConsentLevel) {
    setSaving(next);
    setError(null);
    try {
      await setConsent(category, next);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(null);
    }
  }

  const shown = saving ?? level;
  return (
    <fieldset className="consent" aria-describedby={`${id}-covers`} data-category={category}>
      <legend className="consent-title">{text.title}</legend>
      <p id={`${id}-covers`} className="consent-covers">
        {text.covers}
      </p>
      <div className="consent-levels">
        {CONSENT_LEVELS.map((l) => (
          <label key={l} className={`level ${shown === l ? 'level-on' : ''}`}>
            <input type="radio" name={`${id}-level`} value={l} checked={shown === l} disabled={saving !== null} onChange={() => void choose(l)} />
            <span className="level-label">{LEVEL_TEXT[l].label}</span>
            <span className="level-hint">{LEVEL_TEXT[l].hint}</span>
          </label>
        ))}
      </div>
      {error ? (
        <p className="inline-error" role="alert">
          Could not change this setting: {error}
        </p>
      ) : null}
      <details className="example">
        <summary>Example of an event it covers</summary>
        <JsonBlock value={text.example} label={`Example ${text.title.toLowerCase()} event`} />
      </details>
    </fieldset>
  );
}
