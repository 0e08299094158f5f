/** Order ids from the command line: whole positive numbers, or a clear error naming the bad one. */
export function positiveIntList(values: string[]): number[] {
  return values.map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`"${v}" is not an order id (a positive whole number)`);
    return n;
  });
}
