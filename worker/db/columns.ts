import { z } from "zod";

const TextColumn = z.array(z.tuple([z.string()]).rest(z.unknown()));

/** The first column of every row a statement answers, checked to be text (D1 rows are never cast). */
export async function textColumn(stmt: D1PreparedStatement): Promise<string[]> {
  return TextColumn.parse(await stmt.raw()).map(([value]) => value);
}
