import { CheckCircleOutlined, FileDoneOutlined, PrinterOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Empty,
  Modal,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { itemLabel, materialKey } from '../../../../src/domain/intake/intake-rules.ts';
import { api } from '../../api/client.ts';
import { errorMessage } from '../registry/utils/form-errors.ts';
import { isStale } from './form-errors.ts';
import type { IntakeRequest, NoticeMaterialView } from './types.ts';

interface Props {
  request: IntakeRequest;
  canWrite: boolean;
  onChanged(): void;
  onPrint(): void;
}

/**
 * 一次性告知 (DOMAIN §2): before the notice, the checklist of each pending item to tick what is missing
 * (documents the county gets from government platforms are listed apart and cannot be demanded); after,
 * what is still missing, recording what the applicant brought, and the printable notice.
 */
export function NoticeCard({ request: r, canWrite, onChanged, onPrint }: Props) {
  const { message, modal } = App.useApp();
  const [missing, setMissing] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [receiving, setReceiving] = useState(false);
  const notice = r.notice;

  const issue = () =>
    modal.confirm({
      title: '出具一次性告知书',
      content: `将一次性告知申请人补齐 ${missing.length} 项材料。告知书只能出具一次，之后不得再要求补充其他材料，请确认已列全。`,
      okText: '出具',
      cancelText: '再检查一下',
      onOk: async () => {
        setSaving(true);
        try {
          await api.post(`/api/v1/intake/requests/${r.id}/notice`, {
            version: r.version,
            materials: missing.map((k) => {
              const [itemCode, code] = k.split(':');
              return { itemCode, code };
            }),
          });
          message.success('已出具一次性告知书');
          setMissing([]);
          onChanged();
        } catch (e) {
          message.error(errorMessage(e));
          if (isStale(e)) onChanged();
        } finally {
          setSaving(false);
        }
      },
    });

  if (!notice) {
    const pending = r.checklist.pendingItems;
    return (
      <Card title="材料审查与一次性告知" data-testid="notice-card">
        {!r.checklist.noticeAllowed || !canWrite ? (
          <Empty description="未出具一次性告知书" image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Typography.Text>
              请对照清单勾选申请人<strong>缺少</strong>
              的材料，一次性告知全部所缺材料；材料齐全的不必出具，直接办理各事项。
            </Typography.Text>
            <Checkbox.Group
              value={missing}
              onChange={(v) => setMissing(v as string[])}
              style={{ width: '100%' }}
            >
              <Row gutter={[16, 8]} style={{ width: '100%' }}>
                {pending.map((code) => (
                  <Col key={code} xs={24} md={12}>
                    <Card size="small" type="inner" title={itemLabel(code)}>
                      <Space orientation="vertical" size={4}>
                        {r.checklist.demand
                          .filter((d) => d.itemCode === code)
                          .map((d) => (
                            <Checkbox
                              key={materialKey(d)}
                              value={materialKey(d)}
                              data-testid={`missing-${d.itemCode}-${d.code}`}
                            >
                              {d.label}
                              {d.when && <Typography.Text type="secondary">（{d.when}）</Typography.Text>}
                            </Checkbox>
                          ))}
                      </Space>
                    </Card>
                  </Col>
                ))}
              </Row>
            </Checkbox.Group>
            {r.checklist.notDemanded.length > 0 && (
              <Alert
                type="info"
                showIcon
                title="以下材料通过政务数据共享和核对平台获取，不得要求申请人提供"
                description={r.checklist.notDemanded.map((n) => n.label).join('、')}
              />
            )}
            <Button
              type="primary"
              icon={<FileDoneOutlined />}
              disabled={missing.length === 0}
              loading={saving}
              onClick={issue}
              data-testid="issue-notice"
            >
              出具一次性告知书（{missing.length} 项）
            </Button>
          </Space>
        )}
      </Card>
    );
  }

  const outstanding = notice.materials.filter((m) => m.receivedOn === null);
  return (
    <Card
      title={
        <Space>
          <span>一次性告知书</span>
          {notice.open ? <Tag color="orange">补正中</Tag> : <Tag color="green">材料已补齐</Tag>}
        </Space>
      }
      extra={
        <Space wrap>
          {notice.open && canWrite && (
            <Button
              icon={<CheckCircleOutlined />}
              onClick={() => setReceiving(true)}
              data-testid="receive-materials"
            >
              登记补交材料
            </Button>
          )}
          <Button icon={<PrinterOutlined />} onClick={onPrint} data-testid="print-notice">
            打印一次性告知书
          </Button>
        </Space>
      }
      data-testid="notice-card"
    >
      <Typography.Paragraph type="secondary">
        {notice.issuedOn} 由 {notice.issuedBy} 出具，共 {notice.materials.length} 项
        {notice.open ? `，尚缺 ${outstanding.length} 项` : ''}。
      </Typography.Paragraph>
      <Table<NoticeMaterialView>
        rowKey={(m) => materialKey(m)}
        size="small"
        pagination={false}
        dataSource={notice.materials}
        columns={[
          { title: '申请事项', dataIndex: 'itemLabel', width: 200 },
          { title: '所缺材料', dataIndex: 'label' },
          {
            title: '补交情况',
            dataIndex: 'receivedOn',
            width: 140,
            render: (v: string | null) =>
              v ? <Tag color="green">{v} 已补交</Tag> : <Tag color="orange">未补交</Tag>,
          },
        ]}
      />
      {receiving && (
        <ReceiveModal
          request={r}
          outstanding={outstanding}
          onClose={() => setReceiving(false)}
          onChanged={onChanged}
        />
      )}
    </Card>
  );
}

function ReceiveModal({
  request,
  outstanding,
  onClose,
  onChanged,
}: {
  request: IntakeRequest;
  outstanding: NoticeMaterialView[];
  onClose(): void;
  onChanged(): void;
}) {
  const { message } = App.useApp();
  const [keys, setKeys] = useState<string[]>(outstanding.map(materialKey));
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    try {
      const res = await api.post<{ stillMissing: number }>(
        `/api/v1/intake/requests/${request.id}/materials-received`,
        { version: request.version, received: keys },
      );
      message.success(res.stillMissing === 0 ? '材料已补齐' : `已登记，仍缺 ${res.stillMissing} 项`);
      onChanged();
      onClose();
    } catch (e) {
      message.error(errorMessage(e));
      if (isStale(e)) {
        onChanged();
        onClose();
      }
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      destroyOnHidden
      title="登记申请人补交的材料"
      okText="登记"
      cancelText="取消"
      okButtonProps={{ disabled: keys.length === 0 }}
      confirmLoading={saving}
      onOk={() => void save()}
      onCancel={onClose}
    >
      <Typography.Paragraph>请勾选申请人本次带来的材料：</Typography.Paragraph>
      <Checkbox.Group value={keys} onChange={(v) => setKeys(v as string[])}>
        <Space orientation="vertical">
          {outstanding.map((m) => (
            <Checkbox key={materialKey(m)} value={materialKey(m)}>
              {m.itemLabel}：{m.label}
            </Checkbox>
          ))}
        </Space>
      </Checkbox.Group>
    </Modal>
  );
}
