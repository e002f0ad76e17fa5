import { ArrowLeftOutlined, InboxOutlined, WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  type DescriptionsProps,
  Space,
  Spin,
  Steps,
  Tag,
  Typography,
} from 'antd';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { REQUEST_STATUS } from '../../../../src/domain/intake/intake-rules.ts';
import { ApiError, api } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorResult } from '../../ui/ErrorResult.tsx';
import { useMe } from '../auth/AuthProvider.tsx';
import { can } from '../auth/access.ts';
import { errorMessage } from '../registry/utils/form-errors.ts';
import { formatChinaTime, STAFF_KIND } from '../registry/utils/labels.ts';
import { PAGE_STYLE } from '../registry/utils/layout.ts';
import { AuthorisationsCard } from './AuthorisationsCard.tsx';
import { isStale } from './form-errors.ts';
import { ItemsCard } from './ItemsCard.tsx';
import { deadlineText, STATUS_COLORS } from './labels.ts';
import { NoticeCard } from './NoticeCard.tsx';
import { AuthorisationDocument, NoticeDocument, PrintSheet } from './PrintSheet.tsx';
import type { IntakeRequest } from './types.ts';

const STEP_OF = { registered: 0, awaiting_materials: 1, in_progress: 2, closed: 3, archived: 4 } as const;

/**
 * One request at the window: who applied and why, the steps (DOMAIN §2 state machine), each item with
 * what to do next, the one-time notice, the authorisations, and the two printable documents.
 */
export function IntakeRequestView() {
  const { id = '' } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const [params, setParams] = useSearchParams();
  const valid = /^\d+$/.test(id);
  const { data: r, error, reload } = useApi<IntakeRequest>(valid ? `/api/v1/intake/requests/${id}` : null);
  const print = params.get('print');
  const openPrint = (what: 'notice' | 'authorisation') => setParams({ print: what });
  const closePrint = () => setParams({}, { replace: true });

  if (!valid) return <ErrorResult error={new ApiError(404, { message: `受理登记编号“${id}”不正确` })} />;
  if (error) {
    return (
      <Card>
        <ErrorResult error={error} onRetry={reload} />
        <div style={{ textAlign: 'center' }}>
          <Button onClick={() => navigate('/intake')}>返回受理登记</Button>
        </div>
      </Card>
    );
  }
  if (!r) return <Spin style={{ display: 'block', margin: '80px auto' }} />;

  if (print === 'notice' && r.notice) {
    return (
      <PrintSheet title="社会救助申请材料一次性告知书" onClose={closePrint}>
        <NoticeDocument request={r} />
      </PrintSheet>
    );
  }
  if (print === 'authorisation') {
    return (
      <PrintSheet title="居民家庭经济状况核对授权书" onClose={closePrint}>
        <AuthorisationDocument request={r} />
      </PrintSheet>
    );
  }

  const canWrite = can(me, 'registry.write');
  const overdue = r.items.filter((i) => i.deadline?.status === 'overdue');
  const dueSoon = r.items.filter((i) => i.deadline?.status === 'due_soon');

  const archive = () =>
    modal.confirm({
      title: '归档',
      content: '各事项均已办结。归档后不能再办理，确认归档？',
      okText: '归档',
      cancelText: '取消',
      onOk: async () => {
        try {
          await api.post(`/api/v1/intake/requests/${r.id}/archive`, { version: r.version });
          message.success('已归档');
        } catch (e) {
          message.error(isStale(e) ? '该申请已被其他人修改，已为您刷新' : errorMessage(e));
        }
        reload();
      },
    });

  const info: DescriptionsProps['items'] = [
    {
      key: 'id',
      label: '身份证号码',
      children: <span className="tabular">{r.applicantIdNumber ?? '（未登记）'}</span>,
    },
    { key: 'phone', label: '联系电话', children: <span className="tabular">{r.applicantPhone ?? '—'}</span> },
    {
      key: 'area',
      label: '乡镇 / 村（居）',
      children: [r.townName, r.villageName].filter(Boolean).join(' / '),
    },
    { key: 'channel', label: '受理渠道', children: r.channelLabel },
    { key: 'received', label: '登记时间', children: formatChinaTime(r.receivedAt) },
    { key: 'by', label: '经办人', children: r.receivedBy },
    {
      key: 'household',
      label: '家庭档案',
      children: r.householdId ? (
        <Typography.Link onClick={() => navigate(`/registry/households/${r.householdId}`)}>
          家庭编号 {r.householdId}
        </Typography.Link>
      ) : (
        '未关联'
      ),
    },
    { key: 'no', label: '登记编号', children: r.id },
    { key: 'desc', label: '困难情况和致贫原因', children: r.description, span: 'filled' },
  ];

  return (
    <Space orientation="vertical" size={16} style={PAGE_STYLE} data-testid="intake-request-page">
      <Card
        title={
          <Space wrap size={[8, 4]}>
            <span data-testid="intake-title">{r.applicantName} 的救助申请</span>
            <Tag color={STATUS_COLORS[r.status]} data-testid="intake-status">
              {r.statusLabel}
            </Tag>
            {r.closeRelatives.length > 0 && (
              <Tag color="warning" icon={<WarningOutlined />}>
                近亲属备案
              </Tag>
            )}
          </Space>
        }
        extra={
          <Space wrap>
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/intake')}>
              返回列表
            </Button>
            {canWrite && r.status === 'closed' && (
              <Button type="primary" icon={<InboxOutlined />} onClick={archive} data-testid="archive">
                归档
              </Button>
            )}
          </Space>
        }
      >
        <Steps
          size="small"
          current={STEP_OF[r.status]}
          style={{ marginBottom: 16 }}
          items={[
            { title: REQUEST_STATUS.registered },
            { title: '材料补正', description: r.notice ? (r.notice.open ? '补正中' : '已补齐') : '无需补正' },
            { title: REQUEST_STATUS.in_progress },
            { title: REQUEST_STATUS.closed },
            { title: REQUEST_STATUS.archived },
          ]}
        />
        {overdue.length > 0 && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="overdue-alert"
            title={`转办超期：${overdue
              .map(
                (i) =>
                  `${i.label}（${i.department}，期限 ${i.dueOn}，${i.deadline ? deadlineText(i.deadline, i.dueOn, r.today) : ''}）`,
              )
              .join('；')}，请及时督办。`}
          />
        )}
        {overdue.length === 0 && dueSoon.length > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={`转办即将到期：${dueSoon.map((i) => `${i.label}（期限 ${i.dueOn}）`).join('；')}`}
          />
        )}
        {r.closeRelatives.length > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title="近亲属备案：申请人或家庭成员是低保经办人员或村（居）委会干部的近亲属，须单独登记备案（DOMAIN §10）"
            description={r.closeRelatives
              .map(
                (c) =>
                  `${c.name} 是 ${c.staffName}（${STAFF_KIND[c.staffKind] ?? c.staffKind}）的${c.relation}`,
              )
              .join('；')}
          />
        )}
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3, xxl: 4 }}
          items={info}
          data-testid="intake-info"
        />
      </Card>

      <ItemsCard request={r} canWrite={canWrite} onChanged={reload} />
      <NoticeCard request={r} canWrite={canWrite} onChanged={reload} onPrint={() => openPrint('notice')} />
      <AuthorisationsCard
        request={r}
        canWrite={canWrite}
        onChanged={reload}
        onPrint={() => openPrint('authorisation')}
      />
    </Space>
  );
}
