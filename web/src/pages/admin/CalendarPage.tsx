import { HolidayCalendar } from '../../modules/admin/HolidayCalendar.tsx';

export default function CalendarPage() {
  return <HolidayCalendar />;
}
