import { useEffect, useMemo, useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import { useMe } from '../auth/AuthProvider.tsx';

export interface AreaItem {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
  inScope: boolean;
}

export interface AreaList {
  parent: string;
  items: AreaItem[];
}

export const areasUrl = (parent: string) => `/api/v1/areas?parent=${encodeURIComponent(parent)}`;

/**
 * The county of the installation and its towns, for resolving area codes to names and for choosing a
 * user's area. The county itself is read from its city's children (the areas API lists children only).
 */
export function useCountyAreas() {
  const me = useMe();
  const [county, setCounty] = useState<AreaItem | null>(null);
  const [towns, setTowns] = useState<AreaItem[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let cancelled = false;
    Promise.all([
      api.get<AreaList>(areasUrl(me.countyCode.slice(0, 4))),
      api.get<AreaList>(areasUrl(me.countyCode)),
    ])
      .then(([city, county]) => {
        if (cancelled) return;
        setCounty(
          city.items.find((a) => a.code === me.countyCode) ?? {
            code: me.countyCode,
            name: me.countyCode === me.areaCode && me.areaName ? me.areaName : me.countyCode,
            level: 'county',
            parentCode: null,
            inScope: true,
          },
        );
        setTowns(county.items);
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(e instanceof ApiError ? e : new ApiError(0, { message: String(e) }));
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [me.countyCode, me.areaCode, me.areaName]);

  const names = useMemo(() => {
    const map = new Map<string, string>();
    if (county) map.set(county.code, county.name);
    for (const t of towns) map.set(t.code, t.name);
    return map;
  }, [county, towns]);

  /** '440232100' → '乳城镇'; an unknown code is shown as it is. */
  const nameOf = (code: string | null | undefined): string => (code ? (names.get(code) ?? code) : '—');

  return { county, towns, nameOf, loading, error };
}
