/**
 * 备案与公示: three downloads (xlsx) built by the server — 低保 / 特困对象信息备案表 and 花名册 of a town at a date,
 * and the 公示名单 of a village for a month. A town user works on their own town only (the server refuses
 * others anyway); a county user may take every town at once (one sheet per town). Every download is audited.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Form, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import { type AreaItem, type AreaList, areasUrl, useCountyAreas } from '../../modules/admin/areas.ts';
import { useMe } from '../../modules/auth/AuthProvider.tsx';
import { can } from '../../modules/auth/access.ts';
import { download } from '../../modules/payments/api.ts';
import { ErrorResult } from '../../ui/ErrorResult.tsx';

const PROGRAMS = [
  { value: 'dibao', label: '城乡低保' },
  { value: 'tekun', label: '特困（五保）供养' },
];
const ALL_TOWNS = '';

function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  return q.toString();
}

/** The villages (村、居委会) of a town, loaded when the town changes. */
function useVillages(town: string | undefined) {
  const [villages, setVillages] = useState<AreaItem[]>([]);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    if (!town) {
      setVillages([]);
      return;
    }
    let cancelled = false;
    setLoading(true);
    api
      .get<AreaList>(areasUrl(town))
      .then((r) => {
        if (!cancelled) setVillages(r.items.filter((a) => a.level === 'village'));
      })
      .catch(() => {
        if (!cancelled) setVillages([]);
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [town]);
  return { villages, loading };
}

export default function FilingsPage() {
  const me = useMe();
  if (!can(me, 'registry.read')) {
    return (
      <ErrorResult
        error={
          new ApiError(403, {
            code: 'FORBIDDEN',
            message: `您的角色（${me.roleLabel}）不能导出备案表和公示名单（需要救助对象查看权限）`,
          })
        }
      />
    );
  }
  return <FilingsView />;
}

function FilingsView() {
  const me = useMe();
  const { message } = App.useApp();
  const areas = useCountyAreas();
  const ownTown = me.areaCode.length >= 9 ? me.areaCode.slice(0, 9) : null;
  const towns = areas.towns.filter((t) => t.inScope && (ownTown === null || t.code === ownTown));
  const townOptions = [
    ...(ownTown === null ? [{ value: ALL_TOWNS, label: '全部乡镇（每个乡镇一张表）' }] : []),
    ...towns.map((t) => ({ value: t.code, label: t.name })),
  ];

  const [program, setProgram] = useState('dibao');
  const [formTown, setFormTown] = useState<string>(ownTown ?? ALL_TOWNS);
  const [asOf, setAsOf] = useState<Dayjs | null>(dayjs());
  const [rosterTown, setRosterTown] = useState<string>(ownTown ?? ALL_TOWNS);
  const [rosterAsOf, setRosterAsOf] = useState<Dayjs | null>(dayjs());
  const [noticeTown, setNoticeTown] = useState<string | undefined>(ownTown ?? undefined);
  const [village, setVillage] = useState<string | undefined>(undefined);
  const [month, setMonth] = useState<Dayjs | null>(dayjs());
  const [noticeProgram, setNoticeProgram] = useState('dibao');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { villages, loading: villagesLoading } = useVillages(noticeTown);

  const fetchFile = async (key: string, url: string, fallback: string) => {
    setBusy(key);
    setError(null);
    try {
      const name = await download(url, fallback);
      message.success(`已下载：${name}`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="filings-page">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        备案表、花名册和公示名单按所选日期（月份）在保的救助对象生成 Excel 文件，可直接用 A4 纸打印。
        身份证号码、银行账号已脱敏；公示名单只含部分隐去的姓名、家庭人口、保障人数和金额。每次下载都记入审计日志。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} closable onClose={() => setError(null)} />}
      {areas.error && <Alert type="error" showIcon title={areas.error.message} />}

      <Card title="救助对象信息备案表" size="small">
        <Form layout="inline">
          <Form.Item label="救助项目">
            <Select
              style={{ width: 170 }}
              value={program}
              options={PROGRAMS}
              onChange={setProgram}
              data-testid="filing-record-form-program"
            />
          </Form.Item>
          <Form.Item label="乡镇">
            <Select
              style={{ width: 240 }}
              value={formTown}
              options={townOptions}
              loading={areas.loading}
              disabled={ownTown !== null}
              onChange={setFormTown}
              data-testid="filing-record-form-town"
            />
          </Form.Item>
          <Form.Item label="截至日期">
            <DatePicker
              value={asOf}
              onChange={setAsOf}
              allowClear={false}
              data-testid="filing-record-form-as-of"
            />
          </Form.Item>
          <Form.Item>
            <Button
              type="primary"
              icon={<DownloadOutlined />}
              loading={busy === 'record-form'}
              disabled={!asOf}
              data-testid="filing-record-form-download"
              onClick={() =>
                fetchFile(
                  'record-form',
                  `/api/v1/filings/record-form.xlsx?${query({
                    program,
                    town: formTown || undefined,
                    asOf: asOf?.format('YYYY-MM-DD'),
                  })}`,
                  '备案表.xlsx',
                )
              }
            >
              下载备案表
            </Button>
          </Form.Item>
        </Form>
        <Typography.Text type="secondary">
          每户（特困为每人）一行，含核定月保障金、复核情况；低保另附家庭成员表。
        </Typography.Text>
      </Card>

      <Card title="花名册" size="small">
        <Form layout="inline">
          <Form.Item label="乡镇">
            <Select
              style={{ width: 240 }}
              value={rosterTown}
              options={townOptions}
              loading={areas.loading}
              disabled={ownTown !== null}
              onChange={setRosterTown}
              data-testid="filing-roster-town"
            />
          </Form.Item>
          <Form.Item label="截至日期">
            <DatePicker
              value={rosterAsOf}
              onChange={setRosterAsOf}
              allowClear={false}
              data-testid="filing-roster-as-of"
            />
          </Form.Item>
          <Form.Item>
            <Button
              type="primary"
              icon={<DownloadOutlined />}
              loading={busy === 'roster'}
              disabled={!rosterAsOf}
              data-testid="filing-roster-download"
              onClick={() =>
                fetchFile(
                  'roster',
                  `/api/v1/filings/roster.xlsx?${query({
                    town: rosterTown || undefined,
                    asOf: rosterAsOf?.format('YYYY-MM-DD'),
                  })}`,
                  '花名册.xlsx',
                )
              }
            >
              下载花名册
            </Button>
          </Form.Item>
        </Form>
        <Typography.Text type="secondary">在保低保、特困对象的每位家庭成员一行。</Typography.Text>
      </Card>

      <Card title="公示名单（按村、居）" size="small">
        <Form layout="inline">
          <Form.Item label="乡镇">
            <Select
              style={{ width: 180 }}
              placeholder="选择乡镇"
              value={noticeTown}
              options={towns.map((t) => ({ value: t.code, label: t.name }))}
              loading={areas.loading}
              disabled={ownTown !== null}
              onChange={(v: string) => {
                setNoticeTown(v);
                setVillage(undefined);
              }}
              data-testid="filing-notice-town"
            />
          </Form.Item>
          <Form.Item label="村（居）">
            <Select
              style={{ width: 200 }}
              placeholder="选择村（居）"
              showSearch={{ optionFilterProp: 'label' }}
              value={village}
              options={villages.map((v) => ({ value: v.code, label: v.name }))}
              loading={villagesLoading}
              disabled={!noticeTown}
              onChange={setVillage}
              data-testid="filing-notice-village"
            />
          </Form.Item>
          <Form.Item label="月份">
            <DatePicker
              picker="month"
              value={month}
              onChange={setMonth}
              allowClear={false}
              data-testid="filing-notice-month"
            />
          </Form.Item>
          <Form.Item label="救助项目">
            <Select
              style={{ width: 170 }}
              value={noticeProgram}
              options={PROGRAMS}
              onChange={setNoticeProgram}
              data-testid="filing-notice-program"
            />
          </Form.Item>
          <Form.Item>
            <Button
              type="primary"
              icon={<DownloadOutlined />}
              loading={busy === 'public-notice'}
              disabled={!village || !month}
              data-testid="filing-public-notice-download"
              onClick={() =>
                fetchFile(
                  'public-notice',
                  `/api/v1/filings/public-notice.xlsx?${query({
                    village,
                    month: month?.format('YYYY-MM'),
                    program: noticeProgram,
                  })}`,
                  '公示名单.xlsx',
                )
              }
            >
              下载公示名单
            </Button>
          </Form.Item>
        </Form>
        <Typography.Text type="secondary">
          该村（居）当月在保（暂停发放的除外）的对象；页脚留有公示期和监督电话，请填写后张贴，公示 7 天。
        </Typography.Text>
      </Card>
    </Space>
  );
}
