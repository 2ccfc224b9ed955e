/** Integration tests (`npm run integration`): the tests that start other processes (*.moto.test.ts against a private moto_server, *.integration.test.ts), isolated. */
import { defineConfig } from "vitest/config";
import { INTEGRATION, shared } from "./vitest.config.mts";

export default defineConfig({ test: { ...shared, include: INTEGRATION } });
