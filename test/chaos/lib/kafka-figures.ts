// The figures line test/e2e/kafka.test.ts prints per ordering mode, read back by chaos scenario 8.

/** The figures line the Kafka test prints for one ordering mode. */
export function parseKafkaFigures(
  output: string,
  mode: string,
):
  | { records: number; delivered: number; deadLettered: number; duplicates: number; calls: number }
  | undefined {
  const m = new RegExp(
    `kafka e2e \\(${mode}\\): (\\d+) records, (\\d+) delivered, (\\d+) dead-lettered, \\d+ dead-letter records, (\\d+) duplicate deliveries, (\\d+) calls in all`,
  ).exec(output);
  if (!m) return undefined;
  const [records, delivered, deadLettered, duplicates, calls] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { records, delivered, deadLettered, duplicates, calls };
}
