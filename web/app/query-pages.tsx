import { QueryClientProvider } from "@tanstack/react-query";
import { useContext, useState } from "react";
import { createQueryClient } from "../lib/query/query-client";
import { Outlet } from "../lib/router";
import { GivenQueryClient } from "./provider";

/**
 * The pages that read through TanStack Query (account, add a passkey, consent) render inside
 * this wrapper, a chunk of its own with TanStack Query: the sign-in pages, most first visits,
 * never download it (README, "Performance of the first visit"). Each time the wrapper mounts it
 * starts a new cache, so nothing read before a sign-in (or by another account) is shown after it.
 */
export function QueryPages() {
  const given = useContext(GivenQueryClient);
  const [client] = useState(() => given ?? createQueryClient());
  return (
    <QueryClientProvider client={client}>
      <Outlet />
    </QueryClientProvider>
  );
}
