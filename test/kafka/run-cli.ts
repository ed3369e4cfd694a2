// The `kubeless` CLI from the TypeScript sources (as bin/kubeless.js runs the built one), so the
// Kafka suites can drive `kubeless topic ...` without `npm run build`.
import { main } from '../../cli/main.js';

main(process.argv).catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
