/** A YAML mapping read from a hand-written file, before conversion. */
export type Fields = Record<string, unknown>;

/** Stops on keys a converter does not handle: dropping them silently would change behaviour. */
export function refuseUnknown(rest: Fields, where: string): void {
  const keys = Object.keys(rest);
  if (keys.length > 0)
    throw new Error(
      `${where}: ${keys.join(', ')} not converted to the AlertmanagerConfig; teach src/deploy/kubernetes/alertmanager-*.ts`,
    );
}

/** Leaves out undefined fields, so the YAML shows only what is set. */
export function prune<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}
