import { test, expect, Page } from "@playwright/test";
import { readFile } from "node:fs/promises";

const admin = {
  email: process.env.E2E_ADMIN_EMAIL ?? "admin@doongji.kr",
  password: process.env.E2E_ADMIN_PASSWORD ?? "",
};

async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1, { timeout: 20_000 });
}

test("a month is generated and closed, its bills downloaded as PDF, a partial payment recorded, and the arrears and chart read", async ({ page }) => {
  const stamp = Date.now();
  const building = `청구테스트빌딩 ${stamp}`;
  const tenant = `(주)수납상사 ${stamp}`;

  await page.goto("/login");
  await page.getByLabel("이메일").fill(admin.email);
  await page.getByLabel("비밀번호").fill(admin.password);
  await page.getByRole("button", { name: "로그인" }).click();
  await expect(page).toHaveURL(/\/platform$/);

  // A building with 101호, a tenant, and a lease from September: 월 1,000,000 + 관리비 100,000,
  // due on the 10th, 12% a year late.
  await page.goto("/platform/buildings");
  await hydrated(page);
  const b = page.locator("form", { has: page.getByRole("button", { name: "건물 등록" }) });
  await b.getByLabel("건물 이름").fill(building);
  await b.getByLabel("도로명 주소").fill("서울특별시 마포구 동교로 123");
  await b.getByLabel("지역 구분 (임대차보호법)").selectOption("seoul");
  await b.getByRole("button", { name: "건물 등록" }).click();
  await page.getByRole("link", { name: building }).click();
  await expect(page.getByRole("heading", { name: building })).toBeVisible();
  await hydrated(page);
  const units = page.locator("form", { has: page.getByRole("button", { name: "호실 추가" }) });
  await units.getByLabel("시작 호").fill("101");
  await units.getByLabel("끝 호").fill("101");
  await units.getByRole("button", { name: "호실 추가" }).click();
  await expect(page.getByTestId("units")).toContainText("101호");

  await page.goto("/platform/tenants");
  await hydrated(page);
  const t = page.locator("form", { has: page.getByRole("button", { name: "임차인 등록" }) });
  await t.getByLabel("상호·이름").fill(tenant);
  await t.getByLabel("사업자등록번호").fill("220-81-62517");
  await t.getByLabel("휴대전화 (알림톡)").fill("010-3456-7890");
  await t.getByRole("button", { name: "임차인 등록" }).click();
  await expect(page.getByTestId("tenants")).toContainText(tenant);

  await page.goto("/platform/buildings");
  await page.getByRole("link", { name: building }).click();
  await hydrated(page);
  await page.getByLabel("101호 선택").check();
  const lease = page.locator("form", { has: page.getByRole("button", { name: "계약 등록" }) });
  await lease.getByLabel("임차인").selectOption({ label: tenant });
  await lease.getByLabel("시작일").fill("2026-09-01");
  await lease.getByLabel("종료일").fill("2028-08-31");
  await lease.getByLabel("보증금(원)").fill("20000000");
  await lease.getByLabel("월 임대료(원)").fill("1000000");
  await lease.getByLabel("관리비(원)").fill("100000");
  await lease.getByLabel("납부일 (31=말일)").fill("10");
  await lease.getByLabel("연체 이율 (1% = 100, 예: 연 12% → 1200)").fill("1200");
  await lease.getByRole("button", { name: "계약 등록" }).click();
  await expect(page.getByRole("link", { name: new RegExp(tenant.replace(/[()]/g, "\\$&")) })).toBeVisible();

  // "10월 청구 생성", twice: the second run creates nothing.
  await page.goto("/platform/billing?month=2026-10");
  await hydrated(page);
  const gen = page.locator("form", { has: page.getByRole("button", { name: "청구 생성", exact: true }) });
  await gen.getByLabel("청구 월").fill("2026-10");
  await gen.getByRole("button", { name: "청구 생성", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("새로 만듦");
  await page.goto("/platform/billing?month=2026-10");
  await hydrated(page);
  await gen.getByLabel("청구 월").fill("2026-10");
  await gen.getByRole("button", { name: "청구 생성", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("새로 만듦 0건");

  // Close the building's October, then download its bills.
  await page.goto("/platform/billing?month=2026-10");
  await hydrated(page);
  const row = page.locator(`tr[data-building="${building}"]`);
  await expect(row).toContainText("1,210,000원");
  await row.getByRole("button", { name: "부과 마감" }).click();
  await expect(page.getByRole("status")).toContainText("부과 마감했습니다");
  await page.goto("/platform/billing?month=2026-10");
  await expect(row).toContainText("마감 (");
  const downloading = page.waitForEvent("download");
  await row.getByRole("link", { name: "고지서 PDF" }).click();
  const pdf = await downloading;
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  const bytes = await readFile(await pdf.path());
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
  await page.screenshot({ path: "test-results/screenshots/platform-billing.png", fullPage: true });

  // A partial payment on the tenant's October bill.
  await page.goto(`/platform/billing?month=2026-10&q=${encodeURIComponent(tenant)}`);
  await page.getByTestId("invoices").getByRole("link", { name: tenant }).click();
  await expect(page.getByTestId("invoice-total")).toHaveText("1,210,000원");
  await hydrated(page);
  const pay = page.locator("form", { has: page.getByRole("button", { name: "수납 기록" }) });
  await pay.getByLabel("수납일").fill("2026-10-20");
  await pay.getByLabel("금액(원)").fill("500,000");
  await pay.getByLabel("입금자명").fill("수납상사");
  await pay.getByRole("button", { name: "수납 기록" }).click();
  await expect(page.getByRole("status")).toContainText("500,000원 수납을 기록했습니다");
  await expect(page.getByTestId("invoice-owed")).toHaveText("710,000원");
  await expect(page.getByTestId("payments")).toContainText("수납상사");
  await page.screenshot({ path: "test-results/screenshots/platform-invoice.png", fullPage: true });

  // The arrears list it, and the month's chart shows billed and collected.
  await page.goto(`/platform/billing/arrears?q=${encodeURIComponent(tenant)}`);
  await expect(page.getByTestId("arrears")).toContainText("710,000원");
  await page.screenshot({ path: "test-results/screenshots/platform-arrears.png", fullPage: true });
  await page.goto(`/platform/billing?month=2026-10&building_id=${await buildingId(page, building)}`);
  await expect(page.getByTestId("collected")).toHaveText("500,000원");
  await expect(page.getByTestId("billing-chart").locator('g[data-month="2026-10"] rect')).toHaveCount(2);
});

/// The id of a building by its name, from the billing view's building links.
async function buildingId(page: Page, name: string): Promise<string> {
  await page.goto("/platform/billing?month=2026-10");
  const href = await page.locator(`tr[data-building="${name}"] a`).first().getAttribute("href");
  return new URL(href ?? "", "http://x").searchParams.get("building_id") ?? "";
}
