package fakepolar

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Demo orders of the invoice cases (fixtures/demo/README.md).
var (
	aliceFirstOrder   = demoID("0d000000", 1)  // paid, invoice NWC-0001 generated
	daveVoidOrder     = demoID("0d000000", 11) // void, no receipt
	daveDraftOrder    = demoID("0d000000", 15) // draft, no invoice number
	incompleteOrder   = demoID("0d000000", 24) // pending, no billing address
	yenUninvoiced     = demoID("0d000000", 43) // paid, invoice not generated yet
	unknownOrderUUID  = "0d000000-0001-4000-8fff-000000000fff"
	ordersReadToken   = "polar_oat_orders_read"
	customersReadOnly = "polar_oat_customers_read"
)

// rawDo sends a request and returns status and body without decoding.
func rawDo(t *testing.T, method, u, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type %q", method, u, ct)
	}
	return resp.StatusCode, strings.TrimSpace(string(b))
}

// sameJSON reports whether two JSON texts hold the same value.
func sameJSON(got, want string) bool {
	var g, w any
	return json.Unmarshal([]byte(got), &g) == nil && json.Unmarshal([]byte(want), &w) == nil && reflect.DeepEqual(g, w)
}

func invoiceServer(t *testing.T) string {
	t.Helper()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	_, hs := newTestServer(t, demoFS(t), Options{Now: func() time.Time { return now }, Tokens: map[string][]string{
		ordersReadToken:   {"orders:read"},
		customersReadOnly: {"customers:read"},
	}})
	return hs.URL
}

func TestOrderInvoice(t *testing.T) {
	base := invoiceServer(t)
	r := do(t, "GET", base+"/v1/orders/"+aliceFirstOrder+"/invoice", ordersReadToken, "")
	if r.status != 200 {
		t.Fatalf("generated invoice: %d %s", r.status, r.raw)
	}
	u, err := url.Parse(r.body["url"].(string))
	if err != nil || u.Scheme != "https" || !strings.HasSuffix(u.Path, "/"+aliceFirstOrder+"/Invoice-NWC-0001.pdf") ||
		u.Query().Get("X-Amz-Expires") != "3600" || u.Query().Get("X-Amz-Date") != "20261125T100000Z" {
		t.Errorf("invoice url %q", r.body["url"])
	}
	// No invoice generated yet: Polar's InvoiceDoesNotExist, not ResourceNotFound.
	for _, id := range []string{yenUninvoiced, daveDraftOrder, incompleteOrder} {
		r = do(t, "GET", base+"/v1/orders/"+id+"/invoice", ordersReadToken, "")
		want := `{"error":"InvoiceDoesNotExist","detail":"No invoice exists for order ` + id + `."}`
		if r.status != 404 || !sameJSON(string(r.raw), want) {
			t.Errorf("order %s without invoice: %d %s, want 404 %s", id, r.status, r.raw, want)
		}
	}
	// The id is matched case-insensitively, as a UUID.
	if r = do(t, "GET", base+"/v1/orders/"+strings.ToUpper(aliceFirstOrder)+"/invoice", ordersReadToken, ""); r.status != 200 {
		t.Errorf("upper-case id: %d", r.status)
	}
}

func TestOrderInvoiceErrors(t *testing.T) {
	base := invoiceServer(t)
	for _, path := range []string{"/invoice", "/receipt"} {
		r := do(t, "GET", base+"/v1/orders/"+unknownOrderUUID+path, ordersReadToken, "")
		if r.status != 404 || r.body["error"] != "ResourceNotFound" || r.body["detail"] != "Not found" {
			t.Errorf("%s of an unknown order: %d %s", path, r.status, r.raw)
		}
		r = do(t, "GET", base+"/v1/orders/not-a-uuid"+path, ordersReadToken, "")
		if d, _ := r.body["detail"].([]any); r.status != 422 || len(d) != 1 {
			t.Errorf("%s of a malformed id: %d %s", path, r.status, r.raw)
		}
		r = do(t, "GET", base+"/v1/orders/"+aliceFirstOrder+path, customersReadOnly, "")
		if r.status != 403 || r.body["error"] != "insufficient_scope" ||
			!strings.Contains(r.header.Get("WWW-Authenticate"), `scope="orders:read"`) {
			t.Errorf("%s without orders:read: %d %s %q", path, r.status, r.raw, r.header.Get("WWW-Authenticate"))
		}
		r = do(t, "GET", base+"/v1/orders/"+aliceFirstOrder+path, "", "")
		if r.status != 401 || r.body["error"] != "invalid_token" {
			t.Errorf("%s without token: %d %s", path, r.status, r.raw)
		}
	}
}

func TestGenerateOrderInvoice(t *testing.T) {
	base := invoiceServer(t)
	for _, tc := range []struct {
		name, id string
		status   int
		body     string
	}{
		{"paid order", yenUninvoiced, 202, "null"},
		{"already generated", aliceFirstOrder, 202, "null"},
		{"void order", daveVoidOrder, 409, `{"error":"OrderNotEligibleForInvoice","detail":"Order ` + daveVoidOrder +
			` is not eligible for invoice generation (current status: void)."}`},
		{"draft order", daveDraftOrder, 409, `{"error":"OrderNotEligibleForInvoice","detail":"Order ` + daveDraftOrder +
			` is not eligible for invoice generation (current status: draft)."}`},
		{"no billing address", incompleteOrder, 422, `{"error":"MissingInvoiceBillingDetails",` +
			`"detail":"Billing name and address are required to generate an invoice for this order."}`},
		{"unknown order", unknownOrderUUID, 404, `{"detail":"Not found","error":"ResourceNotFound"}`},
	} {
		status, body := rawDo(t, "POST", base+"/v1/orders/"+tc.id+"/invoice", ordersReadToken)
		if status != tc.status || !sameJSON(body, tc.body) {
			t.Errorf("%s: %d %s, want %d %s", tc.name, status, body, tc.status, tc.body)
		}
	}
	// Generation is scheduled, not instant: the invoice is still missing.
	if r := do(t, "GET", base+"/v1/orders/"+yenUninvoiced+"/invoice", ordersReadToken, ""); r.status != 404 {
		t.Errorf("invoice right after POST: %d, want 404 (generation takes a few seconds at Polar)", r.status)
	}
	if status, _ := rawDo(t, "POST", base+"/v1/orders/"+yenUninvoiced+"/invoice", customersReadOnly); status != 403 {
		t.Errorf("POST without orders:read: %d, want 403", status)
	}
}

func TestOrderReceipt(t *testing.T) {
	base := invoiceServer(t)
	r := do(t, "GET", base+"/v1/orders/"+yenUninvoiced+"/receipt", ordersReadToken, "")
	if u, _ := r.body["url"].(string); r.status != 200 || !strings.Contains(u, "/Receipt-NWC-R0043.pdf?") {
		t.Errorf("paid order's receipt: %d %s", r.status, r.raw)
	}
	for _, id := range []string{daveVoidOrder, incompleteOrder} {
		r = do(t, "GET", base+"/v1/orders/"+id+"/receipt", ordersReadToken, "")
		want := `{"error":"ReceiptNotAllocated","detail":"No receipt allocated for order ` + id + `."}`
		if r.status != 404 || !sameJSON(string(r.raw), want) {
			t.Errorf("unpaid order %s: %d %s, want 404 %s", id, r.status, r.raw, want)
		}
	}
}
