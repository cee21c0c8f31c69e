import { expect, test } from "@playwright/test";
import { bookedRiyadhDay, DEMO_PASSWORD, login, pickSlotOnLastDay, registerPatient, registerWalkIn, snap } from "./support";

test("a doctor opens a checked-in patient, records vitals, writes and signs a note with an ICD-10 code", async ({ page }, info) => {
  // The desk registers a walk-in, books the doctor and checks her in.
  // A name of its own in every run (names take Arabic letters only), to find her row.
  const first = "سلمى" + [...String(Date.now() % 1_000_000)].map((d) => "ابتثجحخدذر"[Number(d)]).join("");
  await login(page, "0500000005", DEMO_PASSWORD);
  await page.waitForURL(/\/staff$/);
  await registerWalkIn(page, first);
  await page.fill('[data-testid="doctor-search"]', "الشهري");
  await page.getByRole("button", { name: "بحث" }).click();
  await page.getByTestId("doctor-results").getByRole("link").first().click();
  await pickSlotOnLastDay(page, 0);
  await page.getByRole("button", { name: "تأكيد الحجز" }).click();
  await expect(page.getByTestId("booked")).toBeVisible();
  const day = await bookedRiyadhDay(page);
  await page.goto(`/staff?day=${day}`);
  await page.getByTestId("day-list").locator("li", { hasText: first }).getByRole("button", { name: "تسجيل الحضور" }).click();
  await expect(page.getByTestId("day-list").locator("li", { hasText: first })).toContainText("حاضر");
  await page.getByTestId("logout").click();
  await page.waitForURL(/\/$/);

  // The doctor opens the consultation from the day list.
  await login(page, "0500000002", DEMO_PASSWORD);
  await page.waitForURL(/\/staff$/);
  await page.goto(`/staff?day=${day}`);
  await page.getByTestId("day-list").locator("li", { hasText: first }).getByTestId("open-note").click();
  await page.waitForURL(/\/encounters\//);
  await expect(page.getByTestId("encounter-patient")).toContainText(first);
  await expect(page.getByTestId("encounter-status")).toHaveText("مسودة");
  await expect(page.getByTestId("no-allergies")).toBeVisible();
  await expect(page.getByTestId("patient-facts")).toContainText("•");

  // An allergy goes on the chart's header, in its warning box, on every chart page.
  await page.getByText("إضافة حساسية").click();
  await page.fill("#input-substance", "Penicillin");
  await page.fill("#input-reaction", "شرى");
  await page.selectOption("#input-severity", "severe");
  await page.getByRole("button", { name: "حفظ الحساسية" }).click();
  await expect(page.getByTestId("encounter-notice")).toHaveText("سُجّلت الحساسية.");
  await expect(page.getByTestId("allergies")).toContainText("Penicillin");
  await expect(page.getByTestId("allergies")).toContainText("شديدة");

  // An impossible reading is refused beside its field; a fever is kept and flagged.
  await page.fill("#input-blood_pressure", "120");
  await page.getByRole("button", { name: "حفظ القياسات" }).click();
  await expect(page.locator('[data-field-error="blood_pressure"]')).toContainText("ضغط الدم");
  await page.fill("#input-blood_pressure", "150/95");
  await page.fill("#input-pulse", "٨٨");
  await page.fill("#input-temperature", "38.6");
  await page.fill("#input-weight", "70");
  await page.fill("#input-height", "165");
  await page.getByRole("button", { name: "حفظ القياسات" }).click();
  await expect(page.getByTestId("encounter-notice")).toHaveText("حُفظت العلامات الحيوية.");
  await expect(page.getByTestId("vitals").locator('[data-flag="high"]').first()).toBeVisible();
  await expect(page.getByTestId("vitals")).toContainText("38.6 °C");

  // A blood count ordered in the consultation; its result comes back low, and the low value
  // is flagged in words as well as colour.
  await page.selectOption("#input-order_test", "cbc");
  await page.selectOption("#input-order_priority", "urgent");
  await page.fill("#input-order_indication", "شحوب وتعب");
  await page.getByRole("button", { name: "اطلب الفحص" }).click();
  await expect(page.getByTestId("encounter-notice")).toHaveText("أُرسل الطلب.");
  const order = page.getByTestId("order").first();
  await expect(order.getByTestId("orders-status")).toHaveText("بانتظار النتيجة");
  await order.getByText("سجّل النتيجة").click();
  await order.locator('input[name="value[hgb]"]').fill("10.2");
  await order.locator('input[name="low[hgb]"]').fill("12.0");
  await order.locator('input[name="high[hgb]"]').fill("15.5");
  await order.locator('input[name="value[plt]"]').fill("abc");
  await order.getByRole("button", { name: "احفظ النتيجة" }).click();
  await expect(order.locator('[data-field-error="value[plt]"]')).toContainText("رقمًا");
  await order.locator('input[name="value[plt]"]').fill("250");
  await order.getByRole("button", { name: "احفظ النتيجة" }).click();
  await expect(page.getByTestId("encounter-notice")).toHaveText("سُجّلت النتيجة.");
  await expect(order.getByTestId("orders-status")).toHaveText("نتيجة غير طبيعية");
  await expect(order.locator('[data-analyte="hgb"][data-flag="low"]')).toContainText("منخفض");
  await expect(order.locator('[data-analyte="plt"][data-flag="normal"]')).toBeVisible();
  await snap(page, info, "encounter-orders");

  await page.fill("#input-chief_complaint", "حرارة وسعال منذ ثلاثة أيام");
  await page.fill("#input-history", "Fever and productive cough for three days.");
  await page.fill("#input-assessment", "Acute bronchitis.");
  await page.fill("#input-diagnoses", "j20.9");
  await page.fill("#input-plan", "Fluids, paracetamol; review if worse.");
  await page.fill("#input-patient_summary", "التهاب قصبات حاد. اشربي السوائل وراجعينا إذا ساءت الحال.");
  await page.getByRole("button", { name: "حفظ المسودة" }).click();
  await expect(page.getByTestId("encounter-notice")).toHaveText("حُفظت المسودة.");
  await expect(page.getByTestId("diagnoses")).toContainText("J20.9");
  await expect(page.getByTestId("diagnoses")).toContainText("Acute bronchitis, unspecified");
  await snap(page, info, "encounter-draft");

  await page.getByTestId("sign").click();
  await expect(page.getByTestId("encounter-status")).toHaveText("موقّع");
  await expect(page.getByTestId("signed-note")).toContainText("Acute bronchitis.");
  await expect(page.locator("#input-chief_complaint")).toHaveCount(0);
  await page.fill("#input-body", "Chest X-ray if no better in a week.");
  await page.getByRole("button", { name: "إضافة الملحق" }).click();
  await expect(page.getByTestId("addenda")).toContainText("Chest X-ray if no better in a week.");
  await expect(page.getByTestId("allergies")).toContainText("Penicillin");
  await snap(page, info, "encounter-signed");

  await page.goto(`/staff?day=${day}`);
  await expect(page.getByTestId("day-list").locator("li", { hasText: first })).toContainText("مكتمل");
});

test("a doctor prescribes despite an allergy and prints; the QR verifies; the patient reads the visit and who opened it; nobody else can", async ({ page }, info) => {
  // A patient of her own registers and books Dr. Al-Shehri.
  const first = "هند" + [...String(Date.now() % 1_000_000)].map((d) => "ابتثجحخدذر"[Number(d)]).join("");
  const phone = await registerPatient(page, first);
  await page.goto("/doctors");
  await page.fill('[data-testid="doctor-search"]', "الشهري");
  await page.getByRole("button", { name: "بحث" }).click();
  await page.getByTestId("doctor-results").getByRole("link").first().click();
  await pickSlotOnLastDay(page, 1);
  await page.getByRole("button", { name: "تأكيد الحجز" }).click();
  await expect(page.getByTestId("booked")).toBeVisible();
  const day = await bookedRiyadhDay(page);
  await page.getByTestId("logout").click();
  await page.waitForURL(/\/$/);

  await login(page, "0500000005", DEMO_PASSWORD);
  await page.waitForURL(/\/staff$/);
  await page.goto(`/staff?day=${day}`);
  await page.getByTestId("day-list").locator("li", { hasText: first }).getByRole("button", { name: "تسجيل الحضور" }).click();
  await expect(page.getByTestId("day-list").locator("li", { hasText: first })).toContainText("حاضر");
  await page.getByTestId("logout").click();
  await page.waitForURL(/\/$/);

  await login(page, "0500000002", DEMO_PASSWORD);
  await page.waitForURL(/\/staff$/);
  await page.goto(`/staff?day=${day}`);
  await page.getByTestId("day-list").locator("li", { hasText: first }).getByTestId("open-note").click();
  await page.waitForURL(/\/encounters\//);
  const encounterUrl = new URL(page.url()).pathname;
  await page.getByText("إضافة حساسية").click();
  await page.fill("#input-substance", "Penicillin");
  await page.selectOption("#input-severity", "severe");
  await page.getByRole("button", { name: "حفظ الحساسية" }).click();
  await expect(page.getByTestId("allergies")).toContainText("Penicillin");
  await page.fill("#input-pulse", "76");
  await page.fill("#input-temperature", "38.1");
  await page.getByRole("button", { name: "حفظ القياسات" }).click();
  await expect(page.getByTestId("encounter-notice")).toHaveText("حُفظت العلامات الحيوية.");
  // A second reading later in the visit: the trend chart appears, the fever dot in red.
  await page.fill("#input-pulse", "72");
  await page.fill("#input-temperature", "37.4");
  await page.getByRole("button", { name: "حفظ القياسات" }).click();
  await expect(page.getByTestId("vitals-trend")).toBeVisible();
  await expect(page.getByTestId("vitals-trend").locator('circle[data-out="true"]').first()).toBeAttached();
  // Problems and current medications join the header.
  await page.getByText("إضافة مشكلة").click();
  await page.fill("#input-problem_code", "i10");
  await page.getByRole("button", { name: "حفظ المشكلة" }).click();
  await expect(page.getByTestId("problems")).toContainText("Essential (primary) hypertension");
  await page.getByText("إضافة دواء").click();
  await page.fill("#input-med_drug", "Amlodipine 5 mg");
  await page.fill("#input-med_dose", "مرة يوميًا");
  await page.getByRole("button", { name: "حفظ الدواء" }).click();
  await expect(page.getByTestId("medications")).toContainText("Amlodipine 5 mg");
  await snap(page, info, "encounter-chart");
  // What follows is the enhanced page (autosave, uploads in the background): wait for the
  // bundle, or a click could go as a plain post, which reloads the form empty.
  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
  await page.fill("#input-chief_complaint", "ألم في الأذن اليمنى");
  // A lab report for the chart. A page renamed .pdf is refused by its content, beside the
  // field, and the report itself is stored and listed, shared with the patient.
  const pdf = Buffer.from("%PDF-1.4\n1 0 obj\n<< /Title (CBC) >>\nendobj\ntrailer\n<<>>\n%%EOF\n");
  await page.selectOption("#input-att_kind", "lab");
  await page.fill("#input-att_title", "تحليل دم شامل CBC");
  await page.setInputFiles("#input-att_file", { name: "cbc.pdf", mimeType: "application/pdf", buffer: Buffer.from("<html><script>alert(1)</script></html>") });
  await page.getByRole("button", { name: "رفع الملف" }).click();
  await expect(page.locator('[data-field-error="att_file"]')).toContainText("بحسب محتواه");
  await expect(page.getByTestId("attachments-none")).toBeVisible();
  await expect(page.locator("#input-chief_complaint")).toHaveValue("ألم في الأذن اليمنى");
  await page.setInputFiles("#input-att_file", { name: "cbc.pdf", mimeType: "application/pdf", buffer: pdf });
  await page.locator('input[name="att_shared"]').check();
  await page.getByRole("button", { name: "رفع الملف" }).click();
  await expect(page.getByTestId("encounter-notice")).toHaveText("رُفع الملف وأُضيف إلى السجل.");
  await expect(page.getByTestId("attachment-list")).toContainText("تحليل دم شامل CBC");
  await expect(page.getByTestId("attachment-shared")).toHaveText("يراه المريض");
  // The complaint typed just before the upload was saved first, so the page that follows
  // the upload still has it.
  await expect(page.locator("#input-chief_complaint")).toHaveValue("ألم في الأذن اليمنى");
  await page.getByTestId("attachments").scrollIntoViewIfNeeded();
  await snap(page, info, "encounter-attachments");
  const fileUrl = (await page.getByTestId("attachment-link").first().getAttribute("href"))!;
  const opened = await page.request.get(fileUrl);
  expect(opened.status()).toBe(200);
  expect(opened.headers()["content-type"]).toBe("application/pdf");
  expect((await opened.body()).equals(pdf)).toBe(true);

  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
  await page.fill("#input-assessment", "Acute otitis media, right ear.");
  await page.fill("#input-diagnoses", "H66.91");
  await page.fill("#input-patient_summary", "التهاب في الأذن الوسطى اليمنى. خذي الدواء كاملًا وراجعينا بعد أسبوع.");
  // Saved as a draft two seconds after the typing stops, with no button pressed.
  await expect(page.getByTestId("autosave-status")).toContainText("حُفظت المسودة تلقائيًا");
  await page.reload();
  await expect(page.locator("#input-patient_summary")).toHaveValue(/خذي الدواء كاملًا/);
  await expect(page.getByTestId("encounter-status")).toHaveText("مسودة");
  await page.getByTestId("sign").click();
  await expect(page.getByTestId("encounter-status")).toHaveText("موقّع");

  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
  // Amoxicillin is a penicillin: the first try is refused until a reason is given.
  await page.fill("#input-drug", "Amoxicillin");
  await page.fill("#input-strength", "500 mg");
  await page.fill("#input-dose", "كبسولة واحدة");
  await page.selectOption("#input-route", "oral");
  await page.fill("#input-frequency", "كل 8 ساعات");
  await page.fill("#input-duration_days", "٧");
  await page.fill("#input-quantity", "21 كبسولة");
  await page.fill("#input-instructions_ar", "بعد الأكل، وأكملي العلبة حتى لو تحسنتِ.");
  await page.getByRole("button", { name: "إصدار الوصفة" }).click();
  await expect(page.locator('[data-field-error="allergy_reason"]')).toContainText("حساسية");
  await snap(page, info, "prescribe-warned");
  await page.fill("#input-allergy_reason", "Rash only, years ago; allergist cleared amoxicillin.");
  await page.getByRole("button", { name: "إصدار الوصفة" }).click();
  await expect(page.getByTestId("encounter-notice")).toHaveText("صدرت الوصفة.");
  await expect(page.getByTestId("prescriptions")).toContainText("Amoxicillin 500 mg");
  await expect(page.getByTestId("override-reason")).toContainText("allergist");

  await page.getByTestId("print-prescription").first().click();
  await page.waitForURL(/\/prescriptions\//);
  const paperUrl = new URL(page.url()).pathname;
  await expect(page.getByTestId("paper-drug")).toHaveText("Amoxicillin 500 mg");
  await expect(page.getByTestId("paper-patient")).toContainText(first);
  await expect(page.getByTestId("licence")).toContainText("SCFHS-");
  await expect(page.getByTestId("qr").locator("svg")).toBeVisible();
  const fingerprint = (await page.getByTestId("fingerprint").textContent())!.trim();
  await snap(page, info, "prescription-paper");
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("banner")).toBeHidden();
  await snap(page, info, "prescription-print");
  await page.emulateMedia({ media: "screen" });

  // The QR code's address, opened by anyone: genuine, the same fingerprint, initials only.
  const verify = new URL((await page.getByTestId("verify-url").textContent())!.trim()).pathname;
  await page.getByTestId("logout").click();
  await page.waitForURL(/\/$/);
  await page.goto(verify);
  await expect(page.getByTestId("verify-result")).toHaveAttribute("data-intact", "true");
  await expect(page.getByTestId("verify-fingerprint")).toHaveText(fingerprint);
  await expect(page.getByTestId("verify-drug")).toHaveText("Amoxicillin 500 mg");
  await expect(page.locator("body")).not.toContainText(first);
  await snap(page, info, "prescription-verified");
  expect((await page.goto(verify.slice(0, -1) + (verify.endsWith("0") ? "1" : "0")))!.status()).toBe(404);

  // The patient reads her visit and prescription in Arabic, and sees that the doctor opened it.
  await login(page, phone, "a-strong-secret");
  await page.waitForURL(/\/me$/);
  await expect(page.getByTestId("latest-visit")).toContainText("التهاب في الأذن الوسطى");
  await expect(page.getByTestId("upcoming-next-empty").or(page.getByTestId("upcoming-next"))).toBeVisible();
  await snap(page, info, "patient-home");
  await page.goto("/me/records");
  await expect(page.getByTestId("visit-summary").first()).toContainText("خذي الدواء كاملًا");
  await expect(page.getByTestId("prescriptions")).toContainText("Amoxicillin 500 mg");
  await expect(page.getByTestId("prescriptions")).toContainText("بالفم");
  await expect(page.getByTestId("my-allergies")).toContainText("Penicillin");
  await expect(page.getByTestId("record-access")).toContainText("الشهري");
  await expect(page.getByTestId("record-access")).toContainText("تحقق من وصفة");
  await expect(page.getByTestId("my-attachments")).toContainText("تحليل دم شامل CBC");
  expect((await page.request.get(fileUrl)).status()).toBe(200);
  await snap(page, info, "my-record");
  await page.goto(paperUrl);
  await expect(page.getByTestId("paper-drug")).toHaveText("Amoxicillin 500 mg");
  await page.getByTestId("logout").click();
  await page.waitForURL(/\/$/);

  // Another patient gets nothing from the same addresses.
  await registerPatient(page, "ريم");
  expect((await page.goto(paperUrl))!.status()).toBe(404);
  await expect(page.getByTestId("error-page")).toBeVisible();
  await expect(page.locator("body")).not.toContainText("Amoxicillin");
  expect((await page.request.get(fileUrl)).status()).toBe(404);
  const chart = await page.goto(encounterUrl);
  expect([403, 404]).toContain(chart!.status());
  await expect(page.locator("body")).not.toContainText(first);
  await page.goto("/me/records");
  await expect(page.locator("body")).not.toContainText("Amoxicillin");
  await expect(page.locator("body")).not.toContainText(first);
});
