import { Alert, App, DatePicker, Form, Input, InputNumber, Modal, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { yuanToFen } from '../../../../src/domain/money/money.ts';
import type { PolicyKind } from '../../../../src/domain/policy/kinds.ts';
import { ApiError, api, type FieldIssue } from '../../api/client.ts';
import { monthText, type PolicyVersion, periodText, programName, yuan } from './format.ts';

interface Values {
  effectiveFrom?: Dayjs;
  docNo: string;
  docTitle?: string;
  standardYuan?: string;
  bodyText: string;
}

/** Form fields a server issue can be put on; other body paths are listed under the JSON text. */
const FIELD_OF: Record<string, keyof Values> = {
  effectiveFrom: 'effectiveFrom',
  docNo: 'docNo',
  docTitle: 'docTitle',
  'body.standardFen': 'standardYuan',
};

interface Props {
  open: boolean;
  /** 'create': a new version (body prefilled from `base`); 'edit': corrects `base`, which is unused. */
  mode: 'create' | 'edit';
  programCode: string;
  kind: PolicyKind;
  /** The town of a town's own versions; null for the county's. */
  townCode: string | null;
  townName: string;
  /** The version to edit, or the latest one to prefill a new version from (null: none yet). */
  base: PolicyVersion | null;
  onClose(): void;
  onSaved(v: PolicyVersion): void;
}

/** Splits the dibao standard out of the body, so it has its own field in 元 and the JSON holds the rest. */
function splitBody(kind: PolicyKind, body: unknown): { standardFen: number | null; rest: unknown } {
  if (kind === 'dibao' && body && typeof body === 'object' && 'standardFen' in body) {
    const { standardFen, ...rest } = body as { standardFen: number };
    return { standardFen, rest };
  }
  return { standardFen: null, rest: body ?? {} };
}

/** 41050 → '410.50', exactly. */
function fenToYuanString(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

function nextMonth(month: string): Dayjs {
  return dayjs(`${month}-01`).add(1, 'month');
}

/** 录入新版本 / 修改未用于发放的版本: 执行起始月份, 文号, 文件标题, the dibao standard in 元, the rest as JSON. */
export function VersionFormModal(props: Props) {
  const { open, mode, programCode, kind, townCode, townName, base, onClose, onSaved } = props;
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [bodyIssues, setBodyIssues] = useState<FieldIssue[]>([]);
  const isDibao = kind === 'dibao';

  useEffect(() => {
    if (!open) return;
    setError(null);
    setBodyIssues([]);
    form.resetFields();
    const { standardFen, rest } = splitBody(kind, base?.body);
    form.setFieldsValue({
      docNo: mode === 'edit' ? (base?.docNo ?? '') : '',
      docTitle: mode === 'edit' ? (base?.docTitle ?? '') : '',
      ...(standardFen !== null ? { standardYuan: fenToYuanString(standardFen) } : {}),
      bodyText: JSON.stringify(rest, null, 2),
      ...(mode === 'create' && base
        ? { effectiveFrom: nextMonth(base.effectiveTo ?? base.effectiveFrom) }
        : {}),
    });
  }, [open, mode, base, kind, form]);

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    let rest: unknown;
    try {
      rest = JSON.parse(values.bodyText);
    } catch (e) {
      form.setFields([
        { name: 'bodyText', errors: [`JSON 格式错误：${e instanceof Error ? e.message : e}`] },
      ]);
      return;
    }
    const body =
      isDibao && rest && typeof rest === 'object' && !Array.isArray(rest)
        ? { standardFen: yuanToFen(values.standardYuan ?? '0'), ...(rest as object) }
        : rest;
    setSaving(true);
    setError(null);
    setBodyIssues([]);
    try {
      const saved =
        mode === 'create'
          ? await api.post<PolicyVersion>('/api/v1/policy/versions', {
              programCode,
              townCode,
              effectiveFrom: values.effectiveFrom?.format('YYYY-MM'),
              docNo: values.docNo.trim(),
              docTitle: values.docTitle?.trim() || null,
              body,
            })
          : await api.put<PolicyVersion>(`/api/v1/policy/versions/${base?.id}`, {
              version: base?.version,
              docNo: values.docNo.trim(),
              docTitle: values.docTitle?.trim() || null,
              body,
            });
      message.success(
        mode === 'create'
          ? `已录入 ${programName(programCode)} ${monthText(saved.effectiveFrom)} 起的新版本（${saved.docNo}）`
          : `已修改 ${saved.docNo}`,
      );
      onSaved(saved);
    } catch (e) {
      if (!(e instanceof ApiError)) {
        setError(String(e));
        return;
      }
      const issues = e.issues.length ? e.issues : e.field ? [{ field: e.field, message: e.message }] : [];
      const onFields = issues.filter((i) => FIELD_OF[i.field]);
      const rest2 = issues.filter((i) => !FIELD_OF[i.field]);
      if (onFields.length)
        form.setFields(
          onFields.map((i) => ({ name: FIELD_OF[i.field] as keyof Values, errors: [i.message] })),
        );
      setBodyIssues(rest2.filter((i) => i.field.startsWith('body')));
      setError(e.message);
    } finally {
      setSaving(false);
    }
  };

  const title =
    mode === 'create'
      ? `录入新版本：${programName(programCode)}（${townName}）`
      : `修改版本：${programName(programCode)}（${townName}）`;

  return (
    <Modal
      open={open}
      title={title}
      width={760}
      okText={mode === 'create' ? '保存新版本' : '保存修改'}
      cancelText="取消"
      confirmLoading={saving}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <div data-testid="policy-form">
        {mode === 'create' && (
          <Typography.Paragraph type="secondary">
            新版本从执行起始月份起生效，上一版本自动截止到前一个月。起始月份早于已发放月份的，下期发放时自动补发或追回差额。
            {base ? `参数已按现行版本（${base.docNo}）预填，请按新文件修改。` : ''}
          </Typography.Paragraph>
        )}
        {mode === 'edit' && base && (
          <Typography.Paragraph type="secondary">
            执行期 {periodText(base.effectiveFrom, base.effectiveTo)}
            。该版本尚未用于发放，可以更正文号和参数；执行期不能修改。
          </Typography.Paragraph>
        )}
        {error && (
          <Alert
            type="error"
            showIcon
            title="未保存"
            description={error}
            style={{ marginBottom: 12 }}
            data-testid="policy-form-error"
          />
        )}
        <Form form={form} layout="vertical" requiredMark>
          {mode === 'create' && (
            <Form.Item
              name="effectiveFrom"
              label="执行起始月份"
              rules={[{ required: true, message: '请选择执行起始月份' }]}
            >
              <DatePicker
                picker="month"
                format="YYYY年MM月"
                style={{ width: 220 }}
                data-testid="policy-effective-from"
              />
            </Form.Item>
          )}
          <Form.Item
            name="docNo"
            label="文号"
            rules={[{ required: true, whitespace: true, message: '请填写政策文件文号' }]}
            extra="如 乳民〔2016〕3号"
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="docTitle" label="文件标题">
            <Input maxLength={200} />
          </Form.Item>
          {isDibao && (
            <Form.Item
              name="standardYuan"
              label="低保标准（元/人·月）"
              rules={[
                { required: true, message: '请填写低保标准' },
                {
                  validator: (_, v: string | undefined) =>
                    v === undefined || v === null || Number(v) > 0
                      ? Promise.resolve()
                      : Promise.reject(new Error('低保标准应大于 0')),
                },
              ]}
              extra={
                base && mode === 'create'
                  ? `现行标准 ${yuan(splitBody(kind, base.body).standardFen ?? 0)} 元/人·月`
                  : undefined
              }
            >
              <InputNumber<string>
                stringMode
                min="0"
                precision={2}
                step="10"
                style={{ width: 220 }}
                suffix="元"
              />
            </Form.Item>
          )}
          <Form.Item
            name="bodyText"
            label={isDibao ? '其余参数（JSON）' : '参数（JSON）'}
            rules={[{ required: true, message: '请填写参数' }]}
            extra={'金额单位为分（如 7600 表示 76 元），比例写成带引号的小数（如 "0.3" 表示 30%）。'}
          >
            <Input.TextArea
              autoSize={{ minRows: 8, maxRows: 14 }}
              spellCheck={false}
              style={{ fontFamily: 'monospace', fontSize: 12 }}
              data-testid="policy-body-json"
            />
          </Form.Item>
          {bodyIssues.length > 0 && (
            <Alert
              type="error"
              title="参数有误"
              data-testid="policy-body-issues"
              description={
                <ul style={{ margin: 0, paddingLeft: 20 }}>
                  {bodyIssues.map((i) => (
                    <li key={`${i.field}:${i.message}`}>
                      <Typography.Text code>{i.field}</Typography.Text> {i.message}
                    </li>
                  ))}
                </ul>
              }
            />
          )}
        </Form>
      </div>
    </Modal>
  );
}
