package tools

import "github.com/polar-mcp/polar-mcp/internal/textsafe"

// maxTextRunes bounds any merchant- or customer-supplied string in an
// answer, so one long description cannot flood the model's context.
const maxTextRunes = 280

// clean is the one cleaner for every string that came from the merchant
// or a customer (names, descriptions, invoice numbers, repository and
// channel names, discount and meter names, activation labels): hidden
// characters go, whitespace collapses, length is bounded, and markdown
// and HTML syntax is neutralized (textsafe.Inline), so what the model
// relays can neither hide instructions nor become an image, link or tag.
func clean(s string) string { return textsafe.Inline(s, maxTextRunes) }
