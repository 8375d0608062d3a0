import { useLayoutEffect, useRef, type ButtonHTMLAttributes, type MouseEvent } from "react";
import { Spinner } from "./spinner";

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: "primary" | "secondary" | "quiet";
  /** Busy: disabled, `aria-busy`, a spinner, and `loadingText` in place of the label if given. */
  loading?: boolean;
  loadingText?: string;
  block?: boolean;
}

export function Button({
  variant = "primary",
  loading = false,
  loadingText,
  block = false,
  type = "button",
  disabled,
  className,
  children,
  onClick,
  ...rest
}: ButtonProps) {
  const ref = useRef<HTMLButtonElement>(null);
  const focusedOnClick = useRef(false);

  // A disabled button loses focus (HTML "focus fixup"); when the work ends and nothing else
  // took focus, give it back so keyboard users keep their place (WCAG 2.4.3 Focus Order).
  useLayoutEffect(() => {
    if (loading) return;
    const active = document.activeElement;
    if (focusedOnClick.current && (active === null || active === document.body)) ref.current?.focus();
    focusedOnClick.current = false;
  }, [loading]);

  const handleClick = (event: MouseEvent<HTMLButtonElement>) => {
    focusedOnClick.current = document.activeElement === event.currentTarget;
    onClick?.(event);
  };

  const classes = ["button", `button--${variant}`, block ? "button--block" : "", className ?? ""].filter(Boolean).join(" ");
  return (
    <button {...rest} ref={ref} type={type} className={classes} disabled={disabled === true || loading} aria-busy={loading || undefined} onClick={handleClick}>
      {loading ? <Spinner decorative size="small" /> : null}
      <span>{loading && loadingText ? loadingText : children}</span>
    </button>
  );
}
