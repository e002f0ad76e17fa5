import { Alert, Card, Spin, Tag, Tree, type TreeDataNode, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import { ErrorResult } from '../../ui/ErrorResult.tsx';
import { useMe } from '../auth/AuthProvider.tsx';
import { type AreaItem, type AreaList, areasUrl } from './areas.ts';

const LEVEL_LABELS: Record<string, string> = {
  county: '县',
  town: '乡镇',
  village: '村（居）',
};

function toNode(area: AreaItem): TreeDataNode {
  return {
    key: area.code,
    isLeaf: area.level === 'village' || area.code.length >= 12,
    title: (
      <span data-testid={`area-${area.code}`}>
        <span style={{ color: area.inScope ? undefined : 'rgba(0,0,0,0.45)' }}>{area.name}</span>{' '}
        <Typography.Text
          type="secondary"
          className="tabular"
          copyable={{ text: area.code, tooltips: ['复制代码', '已复制'] }}
        >
          {area.code}
        </Typography.Text>
        {!area.inScope && (
          <Tag style={{ marginInlineStart: 8 }} variant="filled">
            非本辖区
          </Tag>
        )}
      </span>
    ),
  };
}

function withChildren(nodes: TreeDataNode[], key: string, children: TreeDataNode[]): TreeDataNode[] {
  return nodes.map((n) =>
    n.key === key
      ? { ...n, children, isLeaf: children.length === 0 }
      : n.children
        ? { ...n, children: withChildren(n.children, key, children) }
        : n,
  );
}

/** 行政区划: the county → towns → villages, each level loaded when it is opened. */
export function AreaTree() {
  const me = useMe();
  const [tree, setTree] = useState<TreeDataNode[]>([]);
  const [expanded, setExpanded] = useState<string[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let cancelled = false;
    Promise.all([
      api.get<AreaList>(areasUrl(me.countyCode.slice(0, 4))),
      api.get<AreaList>(areasUrl(me.countyCode)),
    ])
      .then(([city, towns]) => {
        if (cancelled) return;
        const county = city.items.find((a) => a.code === me.countyCode) ?? {
          code: me.countyCode,
          name: me.countyCode,
          level: 'county',
          parentCode: null,
          inScope: true,
        };
        setTree([{ ...toNode(county), isLeaf: false, children: towns.items.map(toNode) }]);
        setExpanded([county.code]);
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(e instanceof ApiError ? e : new ApiError(0, { message: String(e) }));
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [me.countyCode]);

  const loadData = useCallback(async (node: TreeDataNode) => {
    if (node.children) return;
    const key = String(node.key);
    try {
      const res = await api.get<AreaList>(areasUrl(key));
      setTree((t) => withChildren(t, key, res.items.map(toNode)));
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, { message: String(e) }));
    }
  }, []);

  return (
    <Card title="行政区划">
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title="区划代码为国家统计局发布的统计用区划代码"
        description="县级6位、乡镇级9位、村（居）级12位。系统按区划代码确定用户的辖区和救助对象的所在地；点击乡镇前的箭头查看其下的村（居）委会。"
      />
      {error ? (
        <ErrorResult error={error} />
      ) : loading ? (
        <Spin style={{ display: 'block', margin: '40px auto' }} />
      ) : (
        <Tree
          data-testid="area-tree"
          showLine
          blockNode
          treeData={tree}
          loadData={loadData}
          expandedKeys={expanded}
          onExpand={(keys) => setExpanded(keys.map(String))}
          selectable={false}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
        层级：{Object.values(LEVEL_LABELS).join(' → ')}。灰色为您辖区以外的区划。
      </Typography.Paragraph>
    </Card>
  );
}
