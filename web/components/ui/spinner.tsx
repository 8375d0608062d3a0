type SpinnerProps = { label: string; size?: "small" | "medium"; decorative?: false } | { label?: undefined; size?: "small" | "medium"; decorative: true };

/**
 * A loading indicator. With a label it is a polite status region that names what is loading;
 * decorative spinners (inside a busy button that already says so) are hidden from assistive tech.
 */
export function Spinner(props: SpinnerProps) {
  const className = `spinner spinner--${props.size ?? "medium"}`;
  if (props.decorative) return <span className={className} aria-hidden="true" />;
  return (
    <span className="spinner-wrap" role="status">
      <span className={className} aria-hidden="true" />
      <span className="visually-hidden">{props.label}</span>
    </span>
  );
}

/** A centred spinner for a page or panel that is loading. */
export function LoadingBlock({ label }: { label: string }) {
  return (
    <div className="loading-block">
      <Spinner label={label} />
    </div>
  );
}
