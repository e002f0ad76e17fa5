import { DownloadOutlined } from '@ant-design/icons';
import { Button, Table, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { type Cell, displayCell, downloadCsv, type TableColumn, type TableSpec } from './tables.ts';

type Row = TableSpec['rows'][number];

function leaf(c: TableColumn) {
  return {
    key: c.key,
    title: c.title,
    align: c.kind === 'text' ? ('left' as const) : ('right' as const),
    onCell: () => ({ 'data-col': c.key }) as React.HTMLAttributes<HTMLTableCellElement>,
    render: (_: unknown, r: Row) => {
      const text = displayCell(c.kind, (r.cells[c.key] ?? null) as Cell);
      return c.kind === 'text' ? text : <span style={{ fontVariantNumeric: 'tabular-nums' }}>{text}</span>;
    },
    ...(c.kind === 'text' ? { fixed: 'left' as const, width: 110 } : {}),
  };
}

/** A table of the screen, grouped headers by program, with its CSV download. */
export function ReportTable({ spec, testId }: { spec: TableSpec; testId: string }) {
  const columns = useMemo(() => {
    const out: TableColumnsType<Row> = [];
    const groups = new Map<string, { title: string; children: ReturnType<typeof leaf>[] }>();
    for (const c of spec.columns) {
      if (!c.group) {
        out.push(leaf(c));
        continue;
      }
      let g = groups.get(c.group);
      if (!g) {
        g = { title: c.group, children: [] };
        groups.set(c.group, g);
        out.push(g);
      }
      g.children.push(leaf(c));
    }
    return out;
  }, [spec]);
  return (
    <div data-testid={testId}>
      <Table<Row>
        size="small"
        bordered
        pagination={false}
        rowKey="key"
        columns={columns}
        dataSource={spec.rows}
        scroll={{ x: 'max-content' }}
        rowClassName={(r) => (r.total ? 'report-total-row' : '')}
        onRow={(r) => ({ style: r.total ? { fontWeight: 600 } : undefined })}
      />
      <div style={{ textAlign: 'right', marginTop: 8 }}>
        <Button
          size="small"
          icon={<DownloadOutlined />}
          onClick={() => downloadCsv(spec)}
          data-testid={`${testId}-csv`}
        >
          下载本表（CSV）
        </Button>
      </div>
    </div>
  );
}
