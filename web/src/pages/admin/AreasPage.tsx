import { AreaTree } from '../../modules/admin/AreaTree.tsx';

export default function AreasPage() {
  return <AreaTree />;
}
