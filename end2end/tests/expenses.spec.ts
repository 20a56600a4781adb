import { test, expect, Page } from "@playwright/test";
import { readFile } from "node:fs/promises";

const admin = {
  email: process.env.E2E_ADMIN_EMAIL ?? "admin@doongji.kr",
  password: process.env.E2E_ADMIN_PASSWORD ?? "",
};

async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1, { timeout: 20_000 });
}

test("a building's expenses are entered, a pinned item copied into the next month and paid with its bill attached, and the owner's report read", async ({ page }) => {
  const stamp = Date.now();
  const building = `지출테스트빌딩 ${stamp}`;

  await page.goto("/login");
  await page.getByLabel("이메일").fill(admin.email);
  await page.getByLabel("비밀번호").fill(admin.password);
  await page.getByRole("button", { name: "로그인" }).click();
  await expect(page).toHaveURL(/\/platform$/);

  await page.goto("/platform/buildings");
  await hydrated(page);
  const b = page.locator("form", { has: page.getByRole("button", { name: "건물 등록" }) });
  await b.getByLabel("건물 이름").fill(building);
  await b.getByLabel("도로명 주소").fill("서울특별시 성동구 왕십리로 45");
  await b.getByLabel("지역 구분 (임대차보호법)").selectOption("seoul");
  await b.getByRole("button", { name: "건물 등록" }).click();
  await expect(page.getByRole("link", { name: building })).toBeVisible();

  // The building's November expenses: pick it in the filter, then add two items.
  await page.goto("/platform/expenses?month=2026-11");
  await page.getByLabel("건물").selectOption({ label: building });
  await page.getByRole("button", { name: "조회" }).click();
  await expect(page).toHaveURL(/building_id=\d+/);
  await hydrated(page);
  const add = page.locator("form", { has: page.getByRole("button", { name: "추가", exact: true }) });
  await add.getByLabel("분류").selectOption({ label: "청소" });
  await add.getByLabel("거래처").fill("깨끗한청소");
  await add.getByLabel("공급가액(원)").fill("1,234,567");
  await add.getByLabel("지급 예정일").fill("2026-11-25");
  await add.getByLabel("고정 항목 (매월 25일에 다음 달로 복사)").check();
  await add.getByRole("button", { name: "추가", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("지출 항목을 추가했습니다");
  // VAT 10% cut below the won: 1,234,567 + 123,456.
  await expect(page.getByTestId("expenses")).toContainText("1,358,023원");
  await hydrated(page);

  await add.getByLabel("분류").selectOption({ label: "승강기 유지보수" });
  await add.getByLabel("공급가액(원)").fill("-5");
  await add.getByRole("button", { name: "추가", exact: true }).click();
  await expect(add.getByText("0원 이상 1,000억 원 이하")).toBeVisible();
  await hydrated(page);
  await add.getByLabel("공급가액(원)").fill("500000");
  await add.getByRole("button", { name: "추가", exact: true }).click();
  await expect(page.getByTestId("expense-total")).toHaveText("1,908,023원");
  await expect(page.getByTestId("by-category")).toContainText("승강기 유지보수");
  await hydrated(page);
  await page.screenshot({ path: "test-results/screenshots/platform-expenses.png", fullPage: true });

  // The pinned item into December, twice: the second copies nothing.
  const copy = page.locator("form", { has: page.getByRole("button", { name: "다음 달로 복사" }) });
  await copy.getByRole("button", { name: "다음 달로 복사" }).click();
  await expect(page.getByRole("status")).toContainText("고정 지출 1건을");
  await hydrated(page);
  await copy.getByRole("button", { name: "다음 달로 복사" }).click();
  await expect(page.getByRole("status")).toContainText("고정 지출 0건을");
  const url = new URL(page.url());
  const buildingId = url.searchParams.get("building_id");
  await page.goto(`/platform/expenses?month=2026-12&building_id=${buildingId}`);
  const december = page.getByTestId("expenses");
  await expect(december.locator("tr[data-expense]")).toHaveCount(1);
  await expect(december).toContainText("2026-12-25");
  await expect(december).toContainText("미지급");

  // Pay it and attach the vendor's bill.
  await december.getByRole("link", { name: "청소" }).click();
  await expect(page.getByTestId("expense-amount")).toHaveText("1,358,023원");
  await hydrated(page);
  const paid = page.locator("form", { has: page.getByRole("button", { name: "저장", exact: true }) }).first();
  await paid.getByLabel("지급일 (비우면 미지급)").fill("2026-11-30");
  await paid.getByRole("button", { name: "저장", exact: true }).click();
  await expect(page.getByTestId("expense-status")).toContainText("지급 완료 (2026-11-30)");
  await page.getByLabel("파일 (PDF, PNG, JPEG, WebP)").setInputFiles({
    name: "청소_12월_청구서.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n% 청구서\n"),
  });
  await page.getByRole("button", { name: "파일 올리기" }).click();
  await expect(page.getByTestId("files")).toContainText("청소_12월_청구서.pdf");
  await page.screenshot({ path: "test-results/screenshots/platform-expense.png", fullPage: true });

  // The owner's December report: nothing billed yet, 1,358,023원 paid out.
  await page.goto(`/platform/expenses/report?building_id=${buildingId}&month=2026-12`);
  await expect(page.getByTestId("report-paid")).toHaveText("1,358,023원");
  await expect(page.getByTestId("report-balance")).toHaveText("-1,358,023원");
  await page.screenshot({ path: "test-results/screenshots/platform-owner-report.png", fullPage: true });
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "PDF로 내려받기" }).click();
  const pdf = await downloading;
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  const bytes = await readFile(await pdf.path());
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
});
