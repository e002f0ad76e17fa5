import type { Kysely } from 'kysely';
import { notNull } from './schema-helpers.ts';

// Frozen in time: the 2015 national holidays (国务院办公厅关于2015年部分节假日安排的通知), the year of the
// seed report. Later years are entered by an administrator from each year's notice.
const HOLIDAYS_2015: [string, string][] = [
  ['2015-01-01', '元旦'],
  ['2015-01-02', '元旦'],
  ['2015-01-03', '元旦'],
  ['2015-02-18', '春节'],
  ['2015-02-19', '春节'],
  ['2015-02-20', '春节'],
  ['2015-02-21', '春节'],
  ['2015-02-22', '春节'],
  ['2015-02-23', '春节'],
  ['2015-02-24', '春节'],
  ['2015-04-04', '清明节'],
  ['2015-04-05', '清明节'],
  ['2015-04-06', '清明节'],
  ['2015-05-01', '劳动节'],
  ['2015-05-02', '劳动节'],
  ['2015-05-03', '劳动节'],
  ['2015-06-20', '端午节'],
  ['2015-06-21', '端午节'],
  ['2015-06-22', '端午节'],
  ['2015-09-03', '抗战胜利70周年纪念日'],
  ['2015-09-04', '抗战胜利70周年纪念日'],
  ['2015-09-05', '抗战胜利70周年纪念日'],
  ['2015-09-26', '中秋节'],
  ['2015-09-27', '中秋节'],
  ['2015-10-01', '国庆节'],
  ['2015-10-02', '国庆节'],
  ['2015-10-03', '国庆节'],
  ['2015-10-04', '国庆节'],
  ['2015-10-05', '国庆节'],
  ['2015-10-06', '国庆节'],
  ['2015-10-07', '国庆节'],
];
const WORKDAYS_2015: [string, string][] = [
  ['2015-01-04', '元旦调休上班'],
  ['2015-02-15', '春节调休上班'],
  ['2015-02-28', '春节调休上班'],
  ['2015-09-06', '抗战胜利纪念日调休上班'],
  ['2015-10-10', '国庆节调休上班'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  // Installation-wide: the State Council sets one calendar for the whole country.
  await db.schema
    .createTable('calendar_day')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', notNull) // 'holiday' (rest day) | 'workday' (调休: a weekend worked)
    .addColumn('name', 'text', notNull)
    .addColumn('updated_at', 'text', notNull)
    .execute();
  const at = '2026-11-29T00:00:00.000Z';
  await db
    .insertInto('calendar_day' as never)
    .values([
      ...HOLIDAYS_2015.map(([date, name]) => ({ date, kind: 'holiday', name, updated_at: at })),
      ...WORKDAYS_2015.map(([date, name]) => ({ date, kind: 'workday', name, updated_at: at })),
    ] as never)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('calendar_day').execute();
}
