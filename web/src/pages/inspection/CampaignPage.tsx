import { CampaignView } from '../../modules/inspection/CampaignView.tsx';

export default function CampaignPage() {
  return <CampaignView />;
}
