import type { QueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode } from "react";
import { LanguageProvider } from "../i18n/i18n";

/**
 * A QueryClient given from outside (tests, to turn retries off): the account pages' wrapper
 * (web/app/query-pages.tsx) uses it instead of making its own. A type-only import: the sign-in
 * pages, which this file reaches, load no TanStack Query code.
 */
export const GivenQueryClient = createContext<QueryClient | undefined>(undefined);

export function AppProvider({ children, queryClient }: { children: ReactNode; queryClient?: QueryClient }) {
  return (
    <LanguageProvider>
      <GivenQueryClient value={queryClient}>{children}</GivenQueryClient>
    </LanguageProvider>
  );
}
