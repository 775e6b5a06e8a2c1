import { createContext, useContext } from 'react';

/** The signed-in user as the header shows them; null when nobody needs to sign in. */
export interface Session {
  name: string;
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session | null {
  return useContext(SessionContext);
}
