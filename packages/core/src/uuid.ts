const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value is written as a UUID, as the database's `uuid` columns take it. */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
