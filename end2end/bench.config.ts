import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// `make bench` only: timings under a throttled phone profile, never part of `make test`.
export default defineConfig({
  ...base,
  testDir: "./bench",
  timeout: 180_000,
  projects: [{ name: "phone", use: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true } }],
});
