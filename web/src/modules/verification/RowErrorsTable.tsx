import { Table } from 'antd';
import type { RowError } from './types.ts';

/** The problems of a department file, one row per cell: 行号, 列, 值, 原因. */
export function RowErrorsTable({ errors, testId }: { errors: RowError[]; testId?: string }) {
  return (
    <Table<RowError & { key: number }>
      size="small"
      rowKey="key"
      dataSource={errors.map((e, key) => ({ ...e, key }))}
      pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
      data-testid={testId}
      columns={[
        {
          title: '行号',
          dataIndex: 'row',
          width: 80,
          render: (r: number) => (r > 0 ? `第 ${r} 行` : '表头'),
        },
        { title: '列', dataIndex: 'column', width: 140 },
        {
          title: '值',
          dataIndex: 'value',
          width: 160,
          render: (v: string) => (v === '' || v === undefined ? '（空）' : v),
        },
        { title: '原因', dataIndex: 'reason' },
      ]}
    />
  );
}
