import { Page, TestInfo } from "@playwright/test";

export const DEMO_PASSWORD = "Mueen-demo-2026";
export const ADMIN_PHONE = "0500000001";
export const PATIENT_PHONE = "0500000006";

/** A fresh, valid Saudi ID (Luhn check digit) so every run registers a new person. */
export function freshNationalId(prefix: "1" | "2" = "1"): string {
  const body = prefix + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
  for (let check = 0; check <= 9; check++) {
    const candidate = body + check;
    const sum = [...candidate].reverse().reduce((acc, ch, i) => {
      let d = Number(ch);
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      return acc + d;
    }, 0);
    if (sum % 10 === 0) return candidate;
  }
  throw new Error("unreachable: one check digit always fits");
}

export function freshMobile(): string {
  return "05" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
}

/** Saves a full-page screenshot named for the test's project (phone or desktop). */
export async function snap(page: Page, info: TestInfo, name: string) {
  await page.screenshot({
    path: `screenshots/${info.project.name}-${name}.png`,
    fullPage: true,
  });
}

export async function login(page: Page, identifier: string, password: string) {
  await page.goto("/login");
  await page.fill("#input-identifier", identifier);
  await page.fill("#input-password", password);
  await page.getByRole("button", { name: /دخول|Log in/ }).last().click();
}
