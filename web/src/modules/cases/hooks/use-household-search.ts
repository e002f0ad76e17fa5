import { useEffect, useState } from 'react';
import { api, query } from '../../../api/client.ts';
import type { HouseholdListItem, Paged } from '../../registry/types.ts';

/** An ID number (whole, or its last 4+ characters) searches by ID; anything else by a member's name. */
export function householdSearchUrl(text: string): string | null {
  const t = text.replace(/\s+/g, '');
  if (t === '') return null;
  if (/^\d{4,17}[\dXx]?$/.test(t)) return `/api/v1/households${query({ idNumber: t, pageSize: 20 })}`;
  if (/\d/.test(t)) return null;
  return `/api/v1/households${query({ name: t.slice(0, 50), pageSize: 20 })}`;
}

/** Households matching what the clerk types, looked up 300 ms after they stop typing. */
export function useHouseholdSearch(text: string) {
  const [items, setItems] = useState<HouseholdListItem[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const url = householdSearchUrl(text);

  useEffect(() => {
    if (url === null) {
      setItems([]);
      setLoading(false);
      return;
    }
    let cancelled = false;
    setLoading(true);
    const timer = setTimeout(() => {
      api
        .get<Paged<HouseholdListItem>>(url)
        .then((r) => {
          if (!cancelled) {
            setItems(r.items);
            setError(null);
          }
        })
        .catch((e: unknown) => {
          if (!cancelled) {
            setItems([]);
            setError(e instanceof Error ? e.message : '查询失败');
          }
        })
        .finally(() => {
          if (!cancelled) setLoading(false);
        });
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [url]);

  return { items, loading, error, hint: text.trim() !== '' && url === null };
}
