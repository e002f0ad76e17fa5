import { useEffect, useState } from 'react';
import { loadAreas } from '../../registry/hooks/use-areas.ts';

/** The county's name (e.g. 乳源瑶族自治县), from GET /api/v1/areas under its city; null until known. */
export function useCountyName(countyCode: string): string | null {
  const [name, setName] = useState<{ code: string; name: string | null } | null>(null);
  useEffect(() => {
    let cancelled = false;
    loadAreas(countyCode.slice(0, 4))
      .then((areas) => {
        if (!cancelled)
          setName({ code: countyCode, name: areas.find((a) => a.code === countyCode)?.name ?? null });
      })
      .catch(() => {
        if (!cancelled) setName({ code: countyCode, name: null });
      });
    return () => {
      cancelled = true;
    };
  }, [countyCode]);
  return name?.code === countyCode ? name.name : null;
}
