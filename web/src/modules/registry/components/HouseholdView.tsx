import {
  ArrowLeftOutlined,
  EditOutlined,
  ReloadOutlined,
  UserAddOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  type DescriptionsProps,
  Empty,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { HUKOU_TYPES } from '../../../../../src/domain/household/person-attributes.ts';
import {
  REVIEW_CLASS_LABELS,
  type ReviewClass,
} from '../../../../../src/domain/workflow/enrolled-changes.ts';
import { ApiError, api } from '../../../api/client.ts';
import { useApi } from '../../../api/use-api.ts';
import { ErrorResult } from '../../../ui/ErrorResult.tsx';
import { useMe } from '../../auth/AuthProvider.tsx';
import { can } from '../../auth/access.ts';
import { PaymentHistoryCard } from '../../payments/PaymentHistoryCard.tsx';
import { useAreaNames } from '../hooks/use-areas.ts';
import type { AreaPeriod, Enrolment, HistoryEntry, Household, Member } from '../types.ts';
import {
  ENROLMENT_STATUS,
  formatChinaTime,
  formatMonth,
  label,
  PROGRAM_COLORS,
  STAFF_KIND,
  SUPPORT_MODE,
} from '../utils/labels.ts';
import { PAGE_STYLE } from '../utils/layout.ts';
import { HistoryList } from './HistoryList.tsx';
import { type MemberDialog, MemberModal } from './MemberForms.tsx';
import { MembersTable } from './MembersTable.tsx';
import { RevealValue } from './RevealValue.tsx';

/** Back to where the clerk came from (the search with its filters), or to the search. */
export function useBackToSearch(): () => void {
  const navigate = useNavigate();
  return () => {
    const idx = (window.history.state as { idx?: number } | null)?.idx ?? 0;
    if (idx > 0) navigate(-1);
    else navigate('/registry');
  };
}

/** The household record page: members, bank account, programs, close-relative warning, change history. */
export function HouseholdView() {
  const { id = '' } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const back = useBackToSearch();
  const valid = /^\d+$/.test(id);
  const household = useApi<Household>(valid ? `/api/v1/households/${id}` : null);
  const history = useApi<{ items: HistoryEntry[] }>(valid ? `/api/v1/households/${id}/history` : null);
  const [dialog, setDialog] = useState<MemberDialog>(null);
  const h = household.data;
  const areaNames = useAreaNames(h ? h.areaHistory.map((a) => a.townCode) : []);
  const personNames = useMemo(
    () => new Map([...(h?.members ?? []), ...(h?.formerMembers ?? [])].map((m) => [m.id, m.name])),
    [h],
  );

  if (!valid) return <ErrorResult error={new ApiError(404, { message: `家庭编号“${id}”不正确` })} />;
  if (household.error)
    return (
      <Card>
        <ErrorResult error={household.error} onRetry={household.reload} />
        <div style={{ textAlign: 'center' }}>
          <Button onClick={() => navigate('/registry')}>返回救助对象查询</Button>
        </div>
      </Card>
    );
  if (!h) return <Spin style={{ display: 'block', margin: '80px auto' }} />;

  const canWrite = can(me, 'registry.write');
  const canReveal = can(me, 'registry.reveal');
  const head = h.members.find((m) => m.id === h.headPersonId);
  const reloadAll = () => {
    household.reload();
    history.reload();
  };

  const info: DescriptionsProps['items'] = [
    { key: 'head', label: '户主', children: head?.name ?? '（未登记户主）' },
    { key: 'address', label: '地址', children: h.address, span: 2 },
    { key: 'town', label: '乡镇', children: h.townName ?? h.townCode },
    { key: 'village', label: '村（居）', children: h.villageName ?? '—' },
    { key: 'hukou', label: '户口性质', children: label(HUKOU_TYPES, h.hukouType) },
    { key: 'phone', label: '联系电话', children: <span className="tabular">{h.phone ?? '—'}</span> },
    { key: 'bank', label: '开户行', children: h.bankName ?? '—' },
    {
      key: 'account',
      label: '账号',
      children: (
        <RevealValue
          key={h.version}
          masked={h.bankAccount}
          canReveal={canReveal}
          testId="bank-account"
          load={async () => (await api.get<Household>(`/api/v1/households/${h.id}?reveal=true`)).bankAccount}
        />
      ),
    },
    { key: 'holder', label: '账户名', children: h.bankAccountHolder ?? '—' },
    { key: 'no', label: '家庭编号', children: h.id },
    { key: 'updated', label: '最后修改', children: formatChinaTime(h.updatedAt) },
  ];

  return (
    <Space orientation="vertical" size={16} style={PAGE_STYLE} data-testid="household-page">
      <Card
        title={
          <Space wrap size={[8, 4]}>
            <span data-testid="household-title">{head ? `${head.name} 户` : `家庭 ${h.id}`}</span>
            <Tag>{label(HUKOU_TYPES, h.hukouType)}户口</Tag>
            {h.closeRelativeFlag && (
              <Tag color="warning" icon={<WarningOutlined />}>
                近亲属备案
              </Tag>
            )}
          </Space>
        }
        extra={
          <Space wrap>
            <Button icon={<ArrowLeftOutlined />} onClick={back}>
              返回
            </Button>
            {canWrite && (
              <Button
                type="primary"
                icon={<EditOutlined />}
                onClick={() => navigate(`/registry/households/${h.id}/edit`)}
                data-testid="edit-household"
              >
                编辑家庭
              </Button>
            )}
          </Space>
        }
      >
        {h.closeRelativeFlag && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="close-relative-alert"
            title="近亲属备案：本户有成员是低保经办人员或村（居）委会干部的近亲属"
            description={
              <>
                <ul style={{ margin: '4px 0', paddingInlineStart: 20 }}>
                  {h.closeRelatives.map((r) => (
                    <li key={`${r.personId}-${r.staffId}`}>
                      <Typography.Text strong>{r.personName}</Typography.Text> 是 {r.staffName}（
                      {[r.organisation, r.position, STAFF_KIND[r.staffKind] ?? r.staffKind]
                        .filter(Boolean)
                        .join('，')}
                      ）的{r.relation}
                    </li>
                  ))}
                </ul>
                办理申请、审核和发放时，须按近亲属备案的规定单独登记、重点审核。
              </>
            }
          />
        )}
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, md: 2, lg: 3, xl: 3, xxl: 4 }}
          items={info}
          data-testid="household-info"
        />
      </Card>

      <Card
        title={`家庭成员（${h.members.length}人）`}
        extra={
          canWrite && (
            <Button
              icon={<UserAddOutlined />}
              onClick={() => setDialog({ kind: 'new' })}
              data-testid="add-member"
            >
              新增成员
            </Button>
          )
        }
      >
        <MembersTable
          members={h.members}
          canReveal={canReveal}
          canEdit={canWrite}
          onEdit={(m: Member) => setDialog({ kind: 'edit', personId: m.id })}
        />
      </Card>

      <Card title="救助项目">
        <EnrolmentsTable
          enrolments={h.enrolments}
          canEdit={can(me, 'registry.write')}
          onChanged={reloadAll}
        />
      </Card>

      {can(me, 'payroll.read') && <PaymentHistoryCard householdId={h.id} personNames={personNames} />}

      <Card
        title="变更记录"
        extra={
          <Button type="text" icon={<ReloadOutlined />} onClick={history.reload} aria-label="刷新变更记录">
            刷新
          </Button>
        }
      >
        {history.error ? (
          <Alert type="error" showIcon title={history.error.message} />
        ) : history.data ? (
          <HistoryList items={history.data.items} context={{ householdId: h.id, personNames, areaNames }} />
        ) : (
          <Spin />
        )}
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title="曾在本户的成员" style={{ height: '100%' }}>
            <FormerMembers members={h.formerMembers} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title="所属区划变更" style={{ height: '100%' }}>
            <AreaHistory periods={h.areaHistory} names={areaNames} />
          </Card>
        </Col>
      </Row>

      {canWrite && (
        <MemberModal
          dialog={dialog}
          household={h}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            reloadAll();
          }}
          onReload={reloadAll}
        />
      )}
    </Space>
  );
}

function ReviewClassCell({
  e,
  canEdit,
  onChanged,
}: {
  e: Enrolment;
  canEdit: boolean;
  onChanged: () => void;
}) {
  const { message } = App.useApp();
  if (!e.programCode.endsWith('dibao') || e.status !== 'active') return <>—</>;
  const next = e.nextReviewOn ? `下次复核 ${e.nextReviewOn}` : '未排期';
  if (!canEdit) {
    return (
      <span>
        {e.reviewClass
          ? `${REVIEW_CLASS_LABELS[e.reviewClass as ReviewClass] ?? e.reviewClass}；${next}`
          : '未分类'}
      </span>
    );
  }
  return (
    <Space direction="vertical" size={0}>
      <Select
        size="small"
        style={{ width: 240 }}
        placeholder="设定复核分类"
        value={e.reviewClass ?? undefined}
        data-testid={`review-class-${e.id}`}
        options={Object.entries(REVIEW_CLASS_LABELS).map(([value, label]) => ({ value, label }))}
        onChange={async (reviewClass: string) => {
          try {
            await api.patch(`/api/v1/enrolments/${e.id}/review-class`, { version: e.version, reviewClass });
            message.success('复核分类已保存');
            onChanged();
          } catch (err) {
            message.error(err instanceof Error ? err.message : '保存失败');
          }
        }}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {next}
      </Typography.Text>
    </Space>
  );
}

function EnrolmentsTable({
  enrolments,
  canEdit,
  onChanged,
}: {
  enrolments: Enrolment[];
  canEdit: boolean;
  onChanged: () => void;
}) {
  if (enrolments.length === 0)
    return <Empty description="未纳入救助项目" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <Table<Enrolment>
      rowKey="id"
      size="middle"
      pagination={false}
      dataSource={enrolments}
      scroll={{ x: 'max-content' }}
      data-testid="enrolments-table"
      columns={[
        {
          title: '救助项目',
          dataIndex: 'programName',
          render: (name: string, e) => <Tag color={PROGRAM_COLORS[e.programCode]}>{name}</Tag>,
        },
        {
          title: '救助对象',
          dataIndex: 'personName',
          render: (name: string | null, e) => (
            <Space size={4}>
              {name ?? '全户'}
              {e.singlePerson && <Tag>单人保</Tag>}
            </Space>
          ),
        },
        { title: '起始月份', dataIndex: 'startMonth', render: formatMonth },
        {
          title: '终止月份',
          dataIndex: 'endMonth',
          render: (m: string | null) => (m ? formatMonth(m) : '—'),
        },
        {
          title: '状态',
          dataIndex: 'status',
          render: (s: string) => {
            const st = ENROLMENT_STATUS[s];
            return <Tag color={st?.color}>{st?.label ?? s}</Tag>;
          },
        },
        {
          title: '供养方式',
          dataIndex: 'supportMode',
          render: (m: string | null) => (m ? (SUPPORT_MODE[m] ?? m) : '—'),
        },
        { title: '退出原因', dataIndex: 'endReason', render: (r: string | null) => r ?? '—' },
        {
          title: '分类复核',
          key: 'review',
          render: (_v, e) => <ReviewClassCell e={e} canEdit={canEdit} onChanged={onChanged} />,
        },
      ]}
    />
  );
}

function FormerMembers({ members }: { members: Member[] }) {
  if (members.length === 0) return <Empty description="无" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <Table<Member>
      rowKey={(m) => `${m.id}-${m.validFrom}`}
      size="small"
      pagination={false}
      dataSource={members}
      scroll={{ x: 'max-content' }}
      data-testid="former-members"
      columns={[
        { title: '姓名', dataIndex: 'name' },
        { title: '与户主关系', dataIndex: 'relation' },
        {
          title: '身份证号',
          dataIndex: 'idNumber',
          render: (v: string) => <span className="tabular">{v}</span>,
        },
        {
          title: '在户期间',
          key: 'period',
          render: (_, m) => `${m.validFrom} 至 ${m.validTo ?? '今'}`,
        },
        { title: '离开原因', dataIndex: 'leaveReason', render: (r: string | null) => r ?? '—' },
      ]}
    />
  );
}

function AreaHistory({ periods, names }: { periods: AreaPeriod[]; names: Map<string, string> }) {
  return (
    <Table<AreaPeriod>
      rowKey={(a) => `${a.validFrom}-${a.townCode}-${a.villageCode ?? ''}`}
      size="small"
      pagination={false}
      dataSource={periods}
      scroll={{ x: 'max-content' }}
      data-testid="area-history"
      columns={[
        { title: '乡镇', dataIndex: 'townCode', render: (c: string) => names.get(c) ?? c },
        {
          title: '村（居）',
          dataIndex: 'villageCode',
          render: (c: string | null) => (c ? (names.get(c) ?? c) : '—'),
        },
        {
          title: '期间',
          key: 'period',
          render: (_, a) => `${a.validFrom} 至 ${a.validTo ?? '今'}`,
        },
        { title: '原因', dataIndex: 'reason', render: (r: string | null) => r ?? '—' },
      ]}
    />
  );
}
