import { Screen } from '../../components/layout';
import { Link } from '../../router';

export function NotFound() {
  return (
    <Screen title="Page not found">
      <p>
        There is no such page in the console. <Link to="/">Go to the dashboard</Link>.
      </p>
    </Screen>
  );
}
