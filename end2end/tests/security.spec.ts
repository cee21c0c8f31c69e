import { expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, PATIENT_PHONE, login, snap } from "./support";

/** Collects every Content-Security-Policy violation the page reports, from before its first script. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) seen.push(msg.text());
  });
  await page.exposeFunction("__reportCsp", (text: string) => seen.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __reportCsp: (t: string) => void }).__reportCsp(
        `${e.violatedDirective} blocked ${e.blockedURI}`,
      );
    });
  });
  return seen;
}

test("pages hydrate under the Content-Security-Policy with no violation", async ({ page }, info) => {
  const violations = await watchViolations(page);
  const response = await page.goto("/register");
  const policy = response?.headers()["content-security-policy"] ?? "";
  expect(policy).toMatch(/script-src 'nonce-[A-Za-z0-9_-]{16,}' 'strict-dynamic' 'wasm-unsafe-eval'/);
  expect(policy).not.toContain("unsafe-inline");
  // The bundle loaded and ran under the policy; only the hydrated page checks a field when it
  // changes, before anything is sent.
  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
  await page.fill("#input-phone", "123");
  await page.locator("#input-phone").blur();
  await expect(page.locator('[data-field-error="phone"]')).not.toBeEmpty();

  // A second page gets a nonce of its own.
  const again = await page.goto("/register");
  expect(again?.headers()["content-security-policy"]).not.toEqual(policy);

  await login(page, PATIENT_PHONE, DEMO_PASSWORD);
  await page.waitForURL(/\/me$/);
  await page.goto("/account/password");
  await expect(page.getByTestId("sessions")).toBeVisible();
  await expect(page.locator('[data-this-device="true"]')).toHaveCount(1);
  await snap(page, info, "account-sessions");
  expect(violations).toEqual([]);
});
