import { NotOpenPage } from '../../ui/NotOpenPage.tsx';

export default function AreasPage() {
  return <NotOpenPage title="AreasPage" description="建设中" />;
}
