import { InspectionHome } from '../../modules/inspection/InspectionHome.tsx';

export default function InspectionPage() {
  return <InspectionHome />;
}
