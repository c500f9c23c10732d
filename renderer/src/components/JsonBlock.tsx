/** Raw JSON exactly as stored (already scrubbed by the core), for people who want to see everything. */
export function JsonBlock(props: { value: unknown; label: string }) {
  return (
    <pre className="json" aria-label={props.label} tabIndex={0}>
      {JSON.stringify(props.value, null, 2)}
    </pre>
  );
}
