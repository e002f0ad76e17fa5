import { useEffect, useState } from 'react';
import { api } from '../../../api/client.ts';
import type { Area } from '../types.ts';

// Areas hardly ever change during a session: each list is fetched once and shared.
const cache = new Map<string, Promise<Area[]>>();

export function loadAreas(parent: string | null): Promise<Area[]> {
  const key = parent ?? '';
  let p = cache.get(key);
  if (!p) {
    p = api
      .get<{ items: Area[] }>(`/api/v1/areas${parent ? `?parent=${parent}` : ''}`)
      .then((r) => r.items)
      .catch((e: unknown) => {
        cache.delete(key);
        throw e;
      });
    cache.set(key, p);
  }
  return p;
}

/** The county's towns (parent = null) or a town's villages; [] while loading or when parent is ''. */
export function useAreas(parent: string | null | undefined): { areas: Area[]; loading: boolean } {
  const [state, setState] = useState<{ key: string | null; areas: Area[] }>({ key: null, areas: [] });
  const key = parent === undefined || parent === '' ? null : (parent ?? 'county');
  useEffect(() => {
    if (key === null) return;
    let cancelled = false;
    loadAreas(key === 'county' ? null : key)
      .then((areas) => {
        if (!cancelled) setState({ key, areas });
      })
      .catch(() => {
        if (!cancelled) setState({ key, areas: [] });
      });
    return () => {
      cancelled = true;
    };
  }, [key]);
  if (key === null) return { areas: [], loading: false };
  return { areas: state.key === key ? state.areas : [], loading: state.key !== key };
}

/** Names of the given area codes (towns of the county and villages of the given towns). */
export function useAreaNames(townCodes: string[]): Map<string, string> {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const key = [...new Set(townCodes)].sort().join(',');
  useEffect(() => {
    let cancelled = false;
    const towns = key ? key.split(',') : [];
    Promise.all([loadAreas(null), ...towns.map((t) => loadAreas(t))])
      .then((lists) => {
        if (cancelled) return;
        const m = new Map<string, string>();
        for (const list of lists) for (const a of list) m.set(a.code, a.name);
        setNames(m);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [key]);
  return names;
}
