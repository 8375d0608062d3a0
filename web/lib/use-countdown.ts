import { useEffect, useState } from "react";

/**
 * Whole seconds until `until` (epoch ms), ticking once a second; 0 once it has passed or when there
 * is none. Worked out at each render, so a new `until` shows in the same render that brings it
 * (with the message that explains it), not one render later; the timer only asks for the next one.
 */
export function useCountdown(until: number | undefined): number {
  const [, setTick] = useState(0);
  const left = until === undefined ? 0 : Math.max(0, Math.ceil((until - Date.now()) / 1000));
  useEffect(() => {
    if (until === undefined || until <= Date.now()) return;
    const timer = setInterval(() => {
      setTick((tick) => tick + 1);
      if (until <= Date.now()) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [until]);
  return left;
}
