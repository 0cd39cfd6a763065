export async function syncPlatformStock(_env: Env, _shop: string): Promise<{ runId: string; status: string } | undefined> {
  return undefined;
}
