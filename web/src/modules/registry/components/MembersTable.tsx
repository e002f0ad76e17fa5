import { Button, Table, type TableColumnsType, Tag, Tooltip } from 'antd';
import type { HTMLAttributes } from 'react';
import {
  EMPLOYMENT_STATUS,
  LABOUR_CAPACITY,
  SCHOOL_STATUS,
  SELF_CARE,
} from '../../../../../src/domain/household/person-attributes.ts';
import { api } from '../../../api/client.ts';
import type { Member, PersonRecord } from '../types.ts';
import { disabilityText, label } from '../utils/labels.ts';
import { RevealValue } from './RevealValue.tsx';

interface Props {
  members: Member[];
  canReveal: boolean;
  canEdit: boolean;
  onEdit: (member: Member) => void;
}

/** The household's current members, every attribute the rules use, with the ID number revealable (audited). */
export function MembersTable({ members, canReveal, canEdit, onEdit }: Props) {
  const columns: TableColumnsType<Member> = [
    {
      title: '姓名',
      dataIndex: 'name',
      fixed: 'left',
      width: 84,
      render: (name: string, m) => (
        <span data-testid="member-name">
          {name}
          {m.deathDate && (
            <Tag style={{ marginLeft: 4 }} variant="filled">
              已故
            </Tag>
          )}
        </span>
      ),
    },
    { title: '与户主关系', dataIndex: 'relation', width: 88 },
    { title: '性别', dataIndex: 'sexLabel', width: 50 },
    { title: '出生日期', dataIndex: 'birthDate', width: 96, className: 'tabular' },
    { title: '年龄', dataIndex: 'age', width: 50, align: 'right', render: (a: number | null) => a ?? '—' },
    {
      title: '身份证号',
      dataIndex: 'idNumber',
      width: 196,
      render: (id: string, m) => (
        <RevealValue
          key={`${m.id}-${m.version}`}
          masked={id}
          canReveal={canReveal}
          testId={`member-${m.id}-id`}
          load={async () => (await api.get<PersonRecord>(`/api/v1/persons/${m.id}?reveal=true`)).idNumber}
        />
      ),
    },
    {
      title: '残疾/重病',
      key: 'disability',
      width: 90,
      render: (_, m) => (
        <>
          {disabilityText(m.disabilityCategory, m.disabilityGrade)}
          {m.seriousIllness && (
            <Tag color="red" style={{ marginLeft: 4 }}>
              重病
            </Tag>
          )}
        </>
      ),
    },
    {
      title: '劳动能力',
      dataIndex: 'labourCapacity',
      width: 92,
      render: (v: string) => label(LABOUR_CAPACITY, v),
    },
    { title: '生活自理', dataIndex: 'selfCare', width: 76, render: (v: string) => label(SELF_CARE, v) },
    {
      title: '在学情况',
      dataIndex: 'schoolStatus',
      width: 80,
      ellipsis: { showTitle: false },
      render: (v: string) => (
        <Tooltip title={label(SCHOOL_STATUS, v)} placement="topLeft">
          {label(SCHOOL_STATUS, v)}
        </Tooltip>
      ),
    },
    {
      title: '就业状况',
      dataIndex: 'employmentStatus',
      width: 76,
      render: (v: string) => <span data-testid="member-employment">{label(EMPLOYMENT_STATUS, v)}</span>,
    },
  ];
  // Shown only when someone in the household has died, so the usual table fits a laptop screen.
  if (members.some((m) => m.deathDate)) {
    columns.push({
      title: '死亡日期',
      dataIndex: 'deathDate',
      width: 96,
      className: 'tabular',
      render: (v: string | null) => v ?? '—',
    });
  }
  if (canEdit) {
    columns.push({
      title: '操作',
      key: 'actions',
      fixed: 'right',
      width: 56,
      render: (_, m) => (
        <Button type="link" size="small" onClick={() => onEdit(m)} data-testid={`edit-member-${m.id}`}>
          编辑
        </Button>
      ),
    });
  }
  return (
    <Table<Member>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={members}
      pagination={false}
      scroll={{ x: 1000 }}
      data-testid="members-table"
      onRow={(m) => ({ 'data-testid': `member-row-${m.id}` }) as HTMLAttributes<HTMLElement>}
    />
  );
}
