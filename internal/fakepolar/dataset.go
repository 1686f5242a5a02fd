package fakepolar

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"
)

// object is one Polar object as decoded from a fixture (numbers kept as
// json.Number). Objects are never modified after loading.
type object = map[string]any

// dataset is one organization's fixtures.
type dataset struct {
	org           object
	orgID         string
	orgSlug       string
	customers     []object
	subscriptions []object
	orders        []object
	products      []object
	benefits      []object
	grants        []object
	licenseKeys   []object
	meters        []object // customer meters
	members       []object // members of customers (member model)
	seats         []object // customer seats
	disputes      []object
}

func loadDataset(fsys fs.FS) (*dataset, error) {
	d := &dataset{}
	if err := readJSON(fsys, "organization.json", &d.org); err != nil {
		return nil, err
	}
	lists := []struct {
		name string
		dst  *[]object
	}{
		{"customers.json", &d.customers},
		{"subscriptions.json", &d.subscriptions},
		{"orders.json", &d.orders},
		{"products.json", &d.products},
		{"benefits.json", &d.benefits},
		{"benefit_grants.json", &d.grants},
		{"license_keys.json", &d.licenseKeys},
		{"customer_meters.json", &d.meters},
		{"members.json", &d.members},
		{"customer_seats.json", &d.seats},
		{"disputes.json", &d.disputes},
	}
	for _, l := range lists {
		err := readJSON(fsys, l.name, l.dst)
		if errors.Is(err, fs.ErrNotExist) && optionalFixture(l.name) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for i, o := range *l.dst {
			if str(o, "id") == "" {
				return nil, fmt.Errorf("%s: item %d has no id", l.name, i)
			}
		}
	}
	d.orgID, d.orgSlug = str(d.org, "id"), str(d.org, "slug")
	if d.orgID == "" || d.orgSlug == "" {
		return nil, fmt.Errorf("organization.json: missing id or slug")
	}
	return d, nil
}

func readJSON(fsys fs.FS, name string, dst any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func (d *dataset) customer(id string) object { return findByID(d.customers, id) }

func findByID(objs []object, id string) object {
	for _, o := range objs {
		if strings.EqualFold(str(o, "id"), id) {
			return o
		}
	}
	return nil
}

// str returns o[key] when it is a string, else "".
func str(o object, key string) string {
	s, _ := o[key].(string)
	return s
}

// boolean returns o[key] when it is a bool, else false.
func boolean(o object, key string) bool {
	b, _ := o[key].(bool)
	return b
}

// number returns o[key] as a float64 (0 when absent or null).
func number(o object, key string) float64 {
	n, _ := o[key].(json.Number)
	f, _ := n.Float64()
	return f
}

// timestamp returns o[key] parsed as an RFC 3339 time, and false when it
// is null or absent.
func timestamp(o object, key string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, str(o, key))
	return t, err == nil
}

// nested returns o[key] when it is an object, else nil.
func nested(o object, key string) object {
	n, _ := o[key].(map[string]any)
	return n
}

// optionalFixture reports whether a fixture file may be absent (its list is
// then empty): fixture sets written before the fake served license keys and
// customer meters stay loadable.
func optionalFixture(name string) bool {
	return name == "license_keys.json" || name == "customer_meters.json" ||
		name == "members.json" || name == "customer_seats.json" || name == "disputes.json"
}
