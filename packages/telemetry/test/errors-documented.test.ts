import { join } from "node:path";
import { checkErrorCodes } from "@dext/test-kit/error-codes";

checkErrorCodes({ packageDir: join(import.meta.dirname, ".."), prefixes: ["TELEMETRY"] });
