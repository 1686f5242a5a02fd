package fakepolar

import (
	"fmt"
	"net/http"
	"net/url"
)

// invoiceHost is where the fake's presigned invoice and receipt URLs point:
// a reserved, never-resolving domain, since the fake stores no PDFs.
const invoiceHost = "https://polar-customer-files.fake-polar.invalid"

// writePolarError answers with one of Polar's named errors (a PolarError
// subclass), whose body is {"error": <class name>, "detail": <message>}.
func writePolarError(w http.ResponseWriter, status int, name, detail string) {
	writeJSON(w, status, map[string]any{"error": name, "detail": detail})
}

// orderByPathID validates a path UUID and finds the order, answering 422
// or 404 itself when it cannot.
func (s *Server) orderByPathID(w http.ResponseWriter, id string) (object, bool) {
	canon, verr := parseUUID4(id, []any{"path", "id"})
	if verr != nil {
		writeValidation(w, []validationError{*verr})
		return nil, false
	}
	o := findByID(s.data.orders, canon)
	if o == nil {
		writeNotFound(w)
		return nil, false
	}
	return o, true
}

// presignedURL is a download URL shaped like the S3 presigned URLs Polar
// returns: valid for an hour from now.
func (s *Server) presignedURL(kind string, o object, number string) string {
	q := url.Values{}
	q.Set("X-Amz-Date", s.opts.Now().UTC().Format("20060102T150405Z"))
	q.Set("X-Amz-Expires", "3600")
	return fmt.Sprintf("%s/%s/%s/%s-%s.pdf?%s", invoiceHost, s.data.orgID, str(o, "id"), kind,
		url.PathEscape(number), q.Encode())
}

// GET /v1/orders/{id}/invoice: the invoice exists once it was generated
// (is_invoice_generated); before that Polar answers 404 InvoiceDoesNotExist,
// not the ResourceNotFound its OpenAPI document names.
func (s *Server) getOrderInvoice(w http.ResponseWriter, _ *http.Request, id string) {
	o, ok := s.orderByPathID(w, id)
	if !ok {
		return
	}
	if !boolean(o, "is_invoice_generated") || str(o, "invoice_number") == "" {
		writePolarError(w, http.StatusNotFound, "InvoiceDoesNotExist",
			fmt.Sprintf("No invoice exists for order %s.", str(o, "id")))
		return
	}
	writeJSON(w, http.StatusOK, object{"url": s.presignedURL("Invoice", o, str(o, "invoice_number"))})
}

// POST /v1/orders/{id}/invoice schedules the generation of the invoice and
// answers 202 with a null body. The fake's data is read-only, so the
// invoice does not appear afterwards; Polar's checks are reproduced: draft
// and void orders are not eligible (409), and billing name and address are
// required (422).
func (s *Server) generateOrderInvoice(w http.ResponseWriter, _ *http.Request, id string) {
	o, ok := s.orderByPathID(w, id)
	if !ok {
		return
	}
	switch status := str(o, "status"); {
	case status == "draft" || status == "void":
		writePolarError(w, http.StatusConflict, "OrderNotEligibleForInvoice",
			fmt.Sprintf("Order %s is not eligible for invoice generation (current status: %s).", str(o, "id"), status))
	case str(o, "billing_name") == "" || nested(o, "billing_address") == nil:
		writePolarError(w, http.StatusUnprocessableEntity, "MissingInvoiceBillingDetails",
			"Billing name and address are required to generate an invoice for this order.")
	default:
		writeJSON(w, http.StatusAccepted, nil)
	}
}

// GET /v1/orders/{id}/receipt: orders that were paid have a receipt number
// and a receipt; the others get 404 ReceiptNotAllocated.
func (s *Server) getOrderReceipt(w http.ResponseWriter, _ *http.Request, id string) {
	o, ok := s.orderByPathID(w, id)
	if !ok {
		return
	}
	number := str(o, "receipt_number")
	if number == "" {
		writePolarError(w, http.StatusNotFound, "ReceiptNotAllocated",
			fmt.Sprintf("No receipt allocated for order %s.", str(o, "id")))
		return
	}
	writeJSON(w, http.StatusOK, object{"url": s.presignedURL("Receipt", o, number)})
}
