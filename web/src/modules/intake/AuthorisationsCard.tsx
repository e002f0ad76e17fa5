import { PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Modal,
  Radio,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { SIGNER_CODES, SIGNERS, type Signer } from '../../../../src/domain/intake/intake-rules.ts';
import { api } from '../../api/client.ts';
import { isStale, placeServerErrors } from './form-errors.ts';
import { IdNumberInput } from './IdNumberInput.tsx';
import type { Authorisation, IntakeRequest } from './types.ts';

interface Props {
  request: IntakeRequest;
  canWrite: boolean;
  onChanged(): void;
  onPrint(): void;
}

/**
 * 核对授权书 (DOMAIN §3.2): one per person being verified, signed by the person, a guardian, a proxy
 * (with the reason) or the heirs. Household members who have not signed are listed to add them quickly.
 */
export function AuthorisationsCard({ request: r, canWrite, onChanged, onPrint }: Props) {
  const [adding, setAdding] = useState<null | { name?: string; idNumber?: string }>(null);
  const editable = canWrite && r.status !== 'archived';
  const unsigned = r.householdMembers.filter((m) => !m.authorised && !m.deceased);
  return (
    <Card
      title={`家庭经济状况核对授权书（${r.authorisations.length}人）`}
      extra={
        <Space wrap>
          {editable && (
            <Button icon={<PlusOutlined />} onClick={() => setAdding({})} data-testid="add-authorisation">
              登记授权书
            </Button>
          )}
          <Button icon={<PrinterOutlined />} onClick={onPrint} data-testid="print-authorisation">
            打印授权书
          </Button>
        </Space>
      }
      data-testid="authorisations-card"
    >
      {r.authorisationNeeded && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title="低保、特困、临时救助须核对家庭经济状况：申请人及共同生活的家庭成员每人签署授权书（特困还包括法定赡养、抚养、扶养义务人）。"
        />
      )}
      {unsigned.length > 0 && (
        <Space wrap style={{ marginBottom: 12 }} data-testid="unsigned-members">
          <Typography.Text type="secondary">家庭成员尚未签署：</Typography.Text>
          {unsigned.map((m) =>
            editable ? (
              <Button
                key={m.personId}
                size="small"
                onClick={() => setAdding({ name: m.name, ...(r.masked ? {} : { idNumber: m.idNumber }) })}
              >
                {m.name}（{m.relation}）
              </Button>
            ) : (
              <Tag key={m.personId}>
                {m.name}（{m.relation}）
              </Tag>
            ),
          )}
        </Space>
      )}
      <Table<Authorisation>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={r.authorisations}
        locale={{ emptyText: '尚未登记授权书' }}
        data-testid="authorisations-table"
        columns={[
          { title: '核对对象', dataIndex: 'name', width: 100 },
          {
            title: '身份证号码',
            dataIndex: 'idNumber',
            width: 180,
            render: (v: string) => <span className="tabular">{v}</span>,
          },
          {
            title: '签署人',
            key: 'signer',
            width: 200,
            render: (_, a) => (a.signer === 'self' ? '本人' : `${a.signerLabel}：${a.signerName ?? ''}`),
          },
          { title: '签署日期', dataIndex: 'signedOn', width: 110 },
          { title: '说明', dataIndex: 'note', render: (v: string | null) => v ?? '' },
        ]}
      />
      {adding && (
        <AuthorisationModal
          request={r}
          initial={adding}
          onClose={() => setAdding(null)}
          onChanged={onChanged}
        />
      )}
    </Card>
  );
}

interface Values {
  name?: string;
  idNumber?: string;
  signer: Signer;
  signerName?: string;
  note?: string;
  signedOn?: Dayjs;
}

const FIELDS = ['name', 'idNumber', 'signer', 'signerName', 'note', 'signedOn'] as const;
const SIGNER_HINTS: Record<Signer, string> = {
  self: '核对对象本人签名',
  guardian: '无民事行为能力或限制民事行为能力人，由监护人签名',
  proxy: '本人不能签名的，书面委托他人代签，须写明原因',
  heir: '已故人员仍需核对的，由法定继承人或受遗赠人签名',
};

function AuthorisationModal({
  request,
  initial,
  onClose,
  onChanged,
}: {
  request: IntakeRequest;
  initial: { name?: string; idNumber?: string };
  onClose(): void;
  onChanged(): void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const signer = (Form.useWatch('signer', form) as Signer | undefined) ?? 'self';
  const today = dayjs(request.today, 'YYYY-MM-DD');

  const submit = async (v: Values) => {
    setSaving(true);
    setError(null);
    try {
      await api.post(`/api/v1/intake/requests/${request.id}/authorisations`, {
        version: request.version,
        name: (v.name ?? '').trim(),
        idNumber: (v.idNumber ?? '').trim(),
        signer: v.signer,
        ...(v.signer !== 'self' && v.signerName?.trim() ? { signerName: v.signerName.trim() } : {}),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        signedOn: (v.signedOn ?? today).format('YYYY-MM-DD'),
      });
      message.success(`已登记${v.name ?? ''}的授权书`);
      onChanged();
      onClose();
    } catch (e) {
      if (isStale(e)) {
        message.error('该申请已被其他人修改，已为您刷新，请重新登记');
        onChanged();
        onClose();
        return;
      }
      setError(placeServerErrors(form, e, FIELDS).join('；') || null);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      destroyOnHidden
      title="登记核对授权书"
      okText="登记"
      cancelText="取消"
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ ...initial, signer: 'self', signedOn: today }}
        onFinish={(v) => void submit(v)}
        data-testid="authorisation-form"
      >
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form.Item
          name="name"
          label="核对对象姓名"
          rules={[{ required: true, whitespace: true, message: '请输入核对对象姓名' }]}
        >
          <Input autoComplete="off" data-testid="authorisation-name" />
        </Form.Item>
        <IdNumberInput name="idNumber" label="核对对象身份证号码" required testId="authorisation-id-number" />
        <Form.Item name="signer" label="签署人" extra={SIGNER_HINTS[signer]}>
          <Radio.Group
            optionType="button"
            options={SIGNER_CODES.map((s) => ({ value: s, label: SIGNERS[s] }))}
            data-testid="signer"
          />
        </Form.Item>
        {signer !== 'self' && (
          <Form.Item
            name="signerName"
            label={`${SIGNERS[signer]}姓名`}
            rules={[{ required: true, whitespace: true, message: `请输入${SIGNERS[signer]}姓名` }]}
          >
            <Input autoComplete="off" data-testid="signer-name" />
          </Form.Item>
        )}
        <Form.Item
          name="note"
          label={signer === 'proxy' ? '本人不能签名的原因' : '说明（选填）'}
          rules={
            signer === 'proxy'
              ? [{ required: true, whitespace: true, message: '请写明本人不能签名的原因' }]
              : []
          }
        >
          <Input.TextArea rows={2} maxLength={200} showCount />
        </Form.Item>
        <Form.Item name="signedOn" label="签署日期" rules={[{ required: true, message: '请选择签署日期' }]}>
          <DatePicker
            style={{ width: '100%' }}
            allowClear={false}
            disabledDate={(d) => d.isAfter(today, 'day')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
