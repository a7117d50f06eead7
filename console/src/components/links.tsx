import type { Program } from '../api';
import { Link } from '../router';

export function GroupLink({ id }: { id: number }) {
  return <Link to={`/groups/${id}`}>Group {id}</Link>;
}

export function CustomerLink({ id }: { id: number }) {
  return <Link to={`/customers/${id}`}>Customer {id}</Link>;
}

/** A program's name, from the list when it is loaded. */
export function programLabel(programs: Program[] | undefined, id: number): string {
  const p = programs?.find((x) => x.id === id);
  return p ? p.name : `Program ${id}`;
}
