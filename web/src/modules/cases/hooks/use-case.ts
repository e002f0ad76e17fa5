import { useApi } from '../../../api/use-api.ts';
import type { Household } from '../../registry/types.ts';
import type { CaseDetail } from '../types.ts';

/**
 * A case and its household (the case API gives only the household's number; the names a clerk
 * recognises — the head, the person covered — come from the registry record).
 */
export function useCase(id: string | null) {
  const c = useApi<CaseDetail>(id ? `/api/v1/cases/${id}` : null);
  const householdId = c.data?.householdId;
  const household = useApi<Household>(householdId ? `/api/v1/households/${householdId}` : null);
  const h = household.data && household.data.id === householdId ? household.data : null;
  const head = h?.members.find((m) => m.id === h.headPersonId) ?? null;
  const person =
    c.data?.personId && h
      ? ([...h.members, ...h.formerMembers].find((m) => m.id === c.data?.personId) ?? null)
      : null;
  return {
    ...c,
    household: h,
    headName: head?.name ?? null,
    personName: person?.name ?? null,
  };
}
