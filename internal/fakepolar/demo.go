package fakepolar

// Demo returns a server for the embedded demo organization (Northwind
// Cloud, fixtures/demo).
func Demo(opts Options) (*Server, error) {
	return New(DemoFS(), opts)
}
