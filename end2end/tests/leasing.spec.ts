import { test, expect, Page } from "@playwright/test";

const admin = {
  email: process.env.E2E_ADMIN_EMAIL ?? "admin@doongji.kr",
  password: process.env.E2E_ADMIN_PASSWORD ?? "",
};

async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1, { timeout: 20_000 });
}

test("a building with units, a tenant and a lease; the lease is renewed and its history read", async ({ page }) => {
  const stamp = Date.now();
  const building = `연남테스트빌딩 ${stamp}`;
  const tenant = `(주)둥지상사 ${stamp}`;

  await page.goto("/login");
  await page.getByLabel("이메일").fill(admin.email);
  await page.getByLabel("비밀번호").fill(admin.password);
  await page.getByRole("button", { name: "로그인" }).click();
  await expect(page).toHaveURL(/\/platform$/);

  // A building in Seoul.
  await page.getByRole("link", { name: "건물", exact: true }).click();
  await expect(page.getByRole("heading", { name: "건물", exact: true })).toBeVisible();
  await hydrated(page);
  const form = page.locator("form", { has: page.getByRole("button", { name: "건물 등록" }) });
  await form.getByLabel("건물 이름").fill(building);
  await form.getByLabel("도로명 주소").fill("서울특별시 마포구 동교로 123");
  await form.getByLabel("지역 구분 (임대차보호법)").selectOption("seoul");
  await form.getByRole("button", { name: "건물 등록" }).click();
  await page.getByRole("link", { name: building }).click();
  await expect(page.getByRole("heading", { name: building })).toBeVisible();
  await hydrated(page);

  // Units 101–103호 in one go.
  const units = page.locator("form", { has: page.getByRole("button", { name: "호실 추가" }) });
  await units.getByLabel("시작 호").fill("101");
  await units.getByLabel("끝 호").fill("103");
  await units.getByRole("button", { name: "호실 추가" }).click();
  await expect(page.getByTestId("units")).toContainText("1층 103호");

  // A tenant.
  await page.getByRole("link", { name: "임차인", exact: true }).click();
  await hydrated(page);
  const t = page.locator("form", { has: page.getByRole("button", { name: "임차인 등록" }) });
  await t.getByLabel("상호·이름").fill(tenant);
  await t.getByLabel("사업자등록번호").fill("220-81-62517");
  await t.getByLabel("휴대전화 (알림톡)").fill("010-3456-7890");
  await t.getByRole("button", { name: "임차인 등록" }).click();
  await expect(page.getByTestId("tenants")).toContainText(tenant);
  await page.screenshot({ path: "test-results/screenshots/platform-tenants.png", fullPage: true });

  // A lease on 101호: 1억 / 월 300만 (protected in Seoul).
  await page.getByRole("link", { name: "건물", exact: true }).click();
  await page.getByRole("link", { name: building }).click();
  await hydrated(page);
  await page.getByLabel("101호 선택").check();
  const lease = page.locator("form", { has: page.getByRole("button", { name: "계약 등록" }) });
  await lease.getByLabel("임차인").selectOption({ label: tenant });
  await lease.getByLabel("시작일").fill("2024-01-01");
  await lease.getByLabel("종료일").fill("2025-12-31");
  await lease.getByLabel("보증금(원)").fill("100000000");
  await lease.getByLabel("월 임대료(원)").fill("3000000");
  await lease.getByLabel("관리비(원)").fill("500000");
  await lease.getByRole("button", { name: "계약 등록" }).click();
  const link = page.getByRole("link", { name: new RegExp(tenant.replace(/[()]/g, "\\$&")) });
  await expect(link).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/platform-building.png", fullPage: true });
  await link.click();
  await expect(page.getByTestId("lease-terms")).toContainText("3,000,000원");
  await hydrated(page);

  // A 10% increase is refused with the reason; 5% goes through.
  const renew = page.locator("form", { has: page.getByRole("button", { name: "갱신" }) });
  await renew.getByLabel("새 종료일").fill("2027-12-31");
  await renew.getByLabel("월 임대료(원)").fill("3300000");
  await renew.getByRole("button", { name: "갱신" }).click();
  await expect(page.getByRole("alert")).toContainText("5%");
  await renew.getByLabel("월 임대료(원)").fill("3150000");
  await renew.getByRole("button", { name: "갱신" }).click();
  await expect(page.getByTestId("lease-terms")).toContainText("3,150,000원");
  await expect(page.getByTestId("lease-history")).toContainText("월 임대료: 3,000,000원 → 3,150,000원");
  await expect(page.getByTestId("lease-history")).toContainText("종료일: 2025-12-31 → 2027-12-31");
  await page.screenshot({ path: "test-results/screenshots/platform-lease.png", fullPage: true });

  // The dashboard's recent activity tells what happened, in words (written by the work queue).
  await expect(async () => {
    await page.goto("/platform");
    await expect(page.getByTestId("recent-activity")).toContainText(`${building} 101호 임대 계약 갱신 — ${tenant}`, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId("recent-activity")).toContainText(`${building} 101호 임대 계약 등록 — ${tenant}`);
  await page.getByTestId("recent-activity").getByRole("link", { name: new RegExp("임대 계약 갱신") }).first().click();
  await expect(page.getByTestId("lease-terms")).toContainText("3,150,000원");
  await page.goto("/platform");
  await page.screenshot({ path: "test-results/screenshots/platform-dashboard.png", fullPage: true });
});
