import { test, expect, Page } from "@playwright/test";

const admin = {
  email: process.env.E2E_ADMIN_EMAIL ?? "admin@doongji.kr",
  password: process.env.E2E_ADMIN_PASSWORD ?? "",
};

async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1, { timeout: 20_000 });
}

const escape = (s: string) => s.replace(/[()]/g, "\\$&");

test("a month's readings are entered in the grid with the keyboard, the shares land on the invoices, and a changed reading changes the invoice line", async ({ page }) => {
  const stamp = Date.now();
  const building = `검침테스트빌딩 ${stamp}`;
  const tenants = [`(주)전기상사 ${stamp}`, `(주)계량상사 ${stamp}`];

  await page.goto("/login");
  await page.getByLabel("이메일").fill(admin.email);
  await page.getByLabel("비밀번호").fill(admin.password);
  await page.getByRole("button", { name: "로그인" }).click();
  await expect(page).toHaveURL(/\/platform$/);

  // A building with 101–103호, two tenants leasing 101호 and 102호 (103호 stays vacant).
  await page.goto("/platform/buildings");
  await hydrated(page);
  const b = page.locator("form", { has: page.getByRole("button", { name: "건물 등록" }) });
  await b.getByLabel("건물 이름").fill(building);
  await b.getByLabel("도로명 주소").fill("서울특별시 영등포구 당산로 77");
  await b.getByLabel("지역 구분 (임대차보호법)").selectOption("seoul");
  await b.getByRole("button", { name: "건물 등록" }).click();
  await page.getByRole("link", { name: building }).click();
  await expect(page.getByRole("heading", { name: building })).toBeVisible();
  await hydrated(page);
  const units = page.locator("form", { has: page.getByRole("button", { name: "호실 추가" }) });
  await units.getByLabel("시작 호").fill("101");
  await units.getByLabel("끝 호").fill("103");
  await units.getByRole("button", { name: "호실 추가" }).click();
  await expect(page.getByTestId("units")).toContainText("103호");

  for (const [i, tenant] of tenants.entries()) {
    await page.goto("/platform/tenants");
    await hydrated(page);
    const t = page.locator("form", { has: page.getByRole("button", { name: "임차인 등록" }) });
    await t.getByLabel("상호·이름").fill(tenant);
    await t.getByLabel("사업자등록번호").fill(i === 0 ? "220-81-62517" : "120-81-47521");
    await t.getByLabel("휴대전화 (알림톡)").fill(`010-3456-789${i}`);
    await t.getByRole("button", { name: "임차인 등록" }).click();
    await expect(page.getByTestId("tenants")).toContainText(tenant);

    await page.goto("/platform/buildings");
    await page.getByRole("link", { name: building }).click();
    await hydrated(page);
    await page.getByLabel(`10${i + 1}호 선택`).check();
    const lease = page.locator("form", { has: page.getByRole("button", { name: "계약 등록" }) });
    await lease.getByLabel("임차인").selectOption({ label: tenant });
    await lease.getByLabel("시작일").fill("2026-09-01");
    await lease.getByLabel("종료일").fill("2028-08-31");
    await lease.getByLabel("보증금(원)").fill("20000000");
    await lease.getByLabel("월 임대료(원)").fill("1000000");
    await lease.getByLabel("관리비(원)").fill("100000");
    await lease.getByLabel("납부일 (31=말일)").fill("10");
    await lease.getByRole("button", { name: "계약 등록" }).click();
    await expect(page.getByRole("link", { name: new RegExp(escape(tenant)) })).toBeVisible();
  }

  // November's invoices first; the utility shares are added to them.
  await page.goto("/platform/billing?month=2026-11");
  await hydrated(page);
  const gen = page.locator("form", { has: page.getByRole("button", { name: "청구 생성", exact: true }) });
  await gen.getByLabel("청구 월").fill("2026-11");
  await gen.getByRole("button", { name: "청구 생성", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("새로 만듦");

  // The building's November utilities: the electricity bill.
  await page.goto("/platform/utilities?month=2026-11");
  await page.getByLabel("건물").selectOption({ label: building });
  await page.getByRole("button", { name: "조회" }).click();
  await expect(page).toHaveURL(/building_id=\d+/);
  await hydrated(page);
  const elec = page.locator('section[data-kind="electricity"]');
  await expect(elec.getByTestId("basis")).toContainText("검침 사용량");
  const bill = elec.locator("form", { has: page.getByRole("button", { name: "고지서 저장" }) });
  await bill.getByLabel("고지 금액(원)").fill("150,000");
  await bill.getByRole("button", { name: "고지서 저장" }).click();
  await expect(page.getByRole("status")).toContainText("고지서를 저장했습니다");
  const utilitiesUrl = page.url();

  // The reading grid: the meters' first values, then this month's typed down the column with
  // Enter, as in a spreadsheet.
  await elec.getByRole("link", { name: /검침 입력/ }).click();
  await expect(page.getByRole("heading", { name: /전기 검침/ })).toBeVisible();
  await hydrated(page);
  for (const n of [1, 2, 3]) {
    await page.getByLabel(`10${n}호 지난달 검침값`).fill("1000");
  }
  const first = page.getByLabel("101호 이번 달 검침값");
  await first.click();
  await page.keyboard.type("1100");
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("102호 이번 달 검침값")).toBeFocused();
  await page.keyboard.type("1200");
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("103호 이번 달 검침값")).toBeFocused();
  await page.keyboard.type("1300");
  // Usage shows as typed, before saving.
  await expect(page.locator('tr[data-unit="103호"] [data-usage]')).toHaveText("300");
  await page.screenshot({ path: "test-results/screenshots/platform-readings.png", fullPage: true });
  await page.getByRole("button", { name: "검침 저장" }).click();
  await expect(page.getByRole("status")).toContainText("검침 3건을 저장했습니다");

  // Usage 100 : 200 : 300 of 150,000: 25,000 and 50,000 to the tenants, 75,000 the owner's.
  await page.goto(utilitiesUrl);
  const shares = page.locator('section[data-kind="electricity"]').getByTestId("shares");
  await expect(shares.locator('tr[data-unit="101호"]')).toContainText("25,000원");
  await expect(shares.locator('tr[data-unit="102호"]')).toContainText("50,000원");
  await expect(shares.locator('tr[data-unit="103호"]')).toContainText("공실 (건물주 부담)");
  await expect(shares.locator('tr[data-unit="103호"]')).toContainText("75,000원");
  await page.screenshot({ path: "test-results/screenshots/platform-utilities.png", fullPage: true });

  const invoiceOf = async (tenant: string) => {
    await page.goto(`/platform/billing?month=2026-11&q=${encodeURIComponent(tenant)}`);
    await page.getByTestId("invoices").getByRole("link", { name: tenant }).click();
    return page.getByTestId("invoice-lines").locator("tr", { hasText: "전기" });
  };
  await expect(await invoiceOf(tenants[0])).toContainText("25,000원");
  await expect(page.getByTestId("invoice-total")).toHaveText("1,235,000원");

  // 101호 read again as 1,400 (usage 400): 400 : 200 : 300 → 66,667 / 33,333 / 50,000.
  await page.goto(utilitiesUrl);
  await page.locator('section[data-kind="electricity"]').getByRole("link", { name: /검침 입력/ }).click();
  await hydrated(page);
  await page.getByLabel("101호 이번 달 검침값").fill("1400");
  await page.getByRole("button", { name: "검침 저장" }).click();
  await expect(page.getByRole("status")).toContainText("임차인 2명의 분담액이 바뀌었고 청구서 2장");
  await expect(await invoiceOf(tenants[0])).toContainText("66,667원");
  await expect(page.getByTestId("invoice-total")).toHaveText("1,276,667원");
  await expect(await invoiceOf(tenants[1])).toContainText("33,333원");
});
